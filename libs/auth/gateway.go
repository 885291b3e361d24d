package auth

import (
	"maps"
	"slices"
)

// gatewayMethods are the only RPCs a gateway token may call: what the Open311
// facade needs (API keys, public reports, the nearby list shown before a
// report and the jurisdiction check), and notify's two inbound paths
// (providers' webhooks and unsubscribe links), which act only on a
// signature the provider or notify itself made. A
// compromised gateway can do through its own identity no more than Open311
// and those signed requests already let anyone do; every other RPC refuses
// its token.
var gatewayMethods = map[string]bool{
	"/salga.ticket.v1.TicketInternalService/VerifyApiKey":       true,
	"/salga.ticket.v1.TicketInternalService/ListPublicTickets":  true,
	"/salga.ticket.v1.TicketInternalService/GetPublicTicket":    true,
	"/salga.ticket.v1.TicketInternalService/SubmitPublicReport": true,
	// Open311 `media` and `media_url` photos, and the public ones shown
	// as media_url: what any Open311 client may send and read.
	"/salga.ticket.v1.TicketInternalService/SubmitPublicReportWithMedia": true,
	"/salga.ticket.v1.TicketInternalService/DownloadPublicAttachment":    true,
	"/salga.routing.v1.RoutingService/GetMunicipality":                   true,
	"/salga.notify.v1.NotifyInternalService/ReceiveWebhook":              true,
	"/salga.notify.v1.NotifyInternalService/Unsubscribe":                 true,
	// Open311's nearby.json for API-key clients: the places and states of
	// a category's open requests, never content and never GBV.
	"/salga.ticket.v1.TicketService/ListNearbyTickets": true,
	// The public dashboard's figures: counts per category that never
	// include GBV, what any visitor may read.
	"/salga.sla.v1.SlaInternalService/GetPublicAggregates": true,
}

// GatewayMayCall reports whether a gateway token may call fullMethod.
func GatewayMayCall(fullMethod string) bool { return gatewayMethods[fullMethod] }

// GatewayMethods lists the RPCs a gateway token may call, sorted.
func GatewayMethods() []string { return slices.Sorted(maps.Keys(gatewayMethods)) }
