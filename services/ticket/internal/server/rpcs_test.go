package server_test

import (
	"testing"

	// The generated package registers the descriptors ticketRPCs reads.
	_ "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/server/servertest"
)

// Full method names of the ticket service's RPCs, as the tests' tables key
// them.
const (
	rpcCreateTicket           = "/salga.ticket.v1.TicketService/CreateTicket"
	rpcGetTicket              = "/salga.ticket.v1.TicketService/GetTicket"
	rpcListTickets            = "/salga.ticket.v1.TicketService/ListTickets"
	rpcGetTicketTile          = "/salga.ticket.v1.TicketService/GetTicketTile"
	rpcUpdateTicketStatus     = "/salga.ticket.v1.TicketService/UpdateTicketStatus"
	rpcAddTicketNote          = "/salga.ticket.v1.TicketService/AddTicketNote"
	rpcListTicketNotes        = "/salga.ticket.v1.TicketService/ListTicketNotes"
	rpcGetTicketHistory       = "/salga.ticket.v1.TicketService/GetTicketHistory"
	rpcListGbvAccessLog       = "/salga.ticket.v1.TicketService/ListGbvAccessLog"
	rpcCreateApiKey           = "/salga.ticket.v1.TicketService/CreateApiKey"
	rpcListApiKeys            = "/salga.ticket.v1.TicketService/ListApiKeys"
	rpcRevokeApiKey           = "/salga.ticket.v1.TicketService/RevokeApiKey"
	rpcRecordAssignment       = "/salga.ticket.v1.TicketInternalService/RecordAssignment"
	rpcRecordDeadlines        = "/salga.ticket.v1.TicketInternalService/RecordDeadlines"
	rpcBatchRecordDeadlines   = "/salga.ticket.v1.TicketInternalService/BatchRecordDeadlines"
	rpcBatchRecordAssignments = "/salga.ticket.v1.TicketInternalService/BatchRecordAssignments"
	rpcRecordClockEvent       = "/salga.ticket.v1.TicketInternalService/RecordClockEvent"
	rpcRecordGbvAccess        = "/salga.ticket.v1.TicketInternalService/RecordGbvAccess"
	rpcVerifyApiKey           = "/salga.ticket.v1.TicketInternalService/VerifyApiKey"
	rpcListPublicTickets      = "/salga.ticket.v1.TicketInternalService/ListPublicTickets"
	rpcGetPublicTicket        = "/salga.ticket.v1.TicketInternalService/GetPublicTicket"
	rpcSubmitPublicReport     = "/salga.ticket.v1.TicketInternalService/SubmitPublicReport"

	rpcUploadAttachment            = "/salga.ticket.v1.TicketService/UploadAttachment"
	rpcCreateTicketWithAttachments = "/salga.ticket.v1.TicketService/CreateTicketWithAttachments"
	rpcListAttachments             = "/salga.ticket.v1.TicketService/ListAttachments"
	rpcDownloadAttachment          = "/salga.ticket.v1.TicketService/DownloadAttachment"
	rpcSetAttachmentPublic         = "/salga.ticket.v1.TicketService/SetAttachmentPublic"
	rpcDeleteAttachment            = "/salga.ticket.v1.TicketService/DeleteAttachment"
	rpcGetAttachmentRetention      = "/salga.ticket.v1.TicketService/GetAttachmentRetention"
	rpcSetAttachmentRetention      = "/salga.ticket.v1.TicketService/SetAttachmentRetention"
	rpcSubmitPublicReportWithMedia = "/salga.ticket.v1.TicketInternalService/SubmitPublicReportWithMedia"
	rpcDownloadPublicAttachment    = "/salga.ticket.v1.TicketInternalService/DownloadPublicAttachment"

	rpcListNearbyTickets    = "/salga.ticket.v1.TicketService/ListNearbyTickets"
	rpcLinkDuplicate        = "/salga.ticket.v1.TicketService/LinkDuplicate"
	rpcUnlinkDuplicate      = "/salga.ticket.v1.TicketService/UnlinkDuplicate"
	rpcFollowTicket         = "/salga.ticket.v1.TicketService/FollowTicket"
	rpcSetTicketPriority    = "/salga.ticket.v1.TicketService/SetTicketPriority"
	rpcGetDuplicateSettings = "/salga.ticket.v1.TicketService/GetDuplicateSettings"
	rpcSetDuplicateSettings = "/salga.ticket.v1.TicketService/SetDuplicateSettings"
)

// ticketRPCs lists the full name of every RPC of every service in package
// salga.ticket.v1, public and internal, read from the generated descriptors: a test
// that checks a rule for each of them fails when an RPC is added and the
// test's table does not say how the rule applies to it.
func ticketRPCs(t *testing.T) []string {
	t.Helper()
	return servertest.RPCs(t, "salga.ticket.v1")
}

// requireClassified fails for every RPC that is in neither of a rule's two
// tables, or in both, and for table keys that are not RPCs.
func requireClassified[A, B any](t *testing.T, rule string, covered map[string]A, exempt map[string]B) {
	t.Helper()
	servertest.RequireClassified(t, rule, ticketRPCs(t), covered, exempt)
}
