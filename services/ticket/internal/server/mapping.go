package server

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

var categories = map[commonv1.Category]domain.Category{
	commonv1.Category_CATEGORY_WATER:       domain.CategoryWater,
	commonv1.Category_CATEGORY_ROADS:       domain.CategoryRoads,
	commonv1.Category_CATEGORY_ELECTRICITY: domain.CategoryElectricity,
	commonv1.Category_CATEGORY_WASTE:       domain.CategoryWaste,
	commonv1.Category_CATEGORY_SANITATION:  domain.CategorySanitation,
	commonv1.Category_CATEGORY_GBV:         domain.CategoryGBV,
	commonv1.Category_CATEGORY_OTHER:       domain.CategoryOther,
}

var statuses = map[commonv1.TicketStatus]domain.Status{
	commonv1.TicketStatus_TICKET_STATUS_OPEN:             domain.StatusOpen,
	commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS:      domain.StatusInProgress,
	commonv1.TicketStatus_TICKET_STATUS_AWAITING_CITIZEN: domain.StatusAwaitingCitizen,
	commonv1.TicketStatus_TICKET_STATUS_RESOLVED:         domain.StatusResolved,
	commonv1.TicketStatus_TICKET_STATUS_CLOSED:           domain.StatusClosed,
	commonv1.TicketStatus_TICKET_STATUS_CANCELLED:        domain.StatusCancelled,
}

var channels = map[ticketv1.Channel]domain.Channel{
	ticketv1.Channel_CHANNEL_UNSPECIFIED: "web",
	ticketv1.Channel_CHANNEL_WEB:         "web",
	ticketv1.Channel_CHANNEL_MOBILE_APP:  "mobile_app",
	ticketv1.Channel_CHANNEL_CALL_CENTRE: "call_centre",
	ticketv1.Channel_CHANNEL_WHATSAPP:    "whatsapp",
	ticketv1.Channel_CHANNEL_USSD:        "ussd",
	ticketv1.Channel_CHANNEL_OPEN311:     "open311",
	ticketv1.Channel_CHANNEL_WALK_IN:     "walk_in",
}

var orders = map[ticketv1.TicketOrder]domain.Order{
	ticketv1.TicketOrder_TICKET_ORDER_UNSPECIFIED:             domain.OrderCreateDesc,
	ticketv1.TicketOrder_TICKET_ORDER_CREATE_TIME_DESC:        domain.OrderCreateDesc,
	ticketv1.TicketOrder_TICKET_ORDER_CREATE_TIME_ASC:         domain.OrderCreateAsc,
	ticketv1.TicketOrder_TICKET_ORDER_RESOLUTION_DEADLINE_ASC: domain.OrderResolutionDueAsc,
}

// reverse inverts a one-to-one mapping. channels is not one-to-one
// (UNSPECIFIED and WEB both mean web), so channelOut is written out.
func reverse[K comparable, V comparable](m map[K]V) map[V]K {
	out := make(map[V]K, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}

var (
	categoryOut = reverse(categories)
	statusOut   = reverse(statuses)
	channelOut  = map[domain.Channel]ticketv1.Channel{
		"web": ticketv1.Channel_CHANNEL_WEB, "mobile_app": ticketv1.Channel_CHANNEL_MOBILE_APP,
		"call_centre": ticketv1.Channel_CHANNEL_CALL_CENTRE, "whatsapp": ticketv1.Channel_CHANNEL_WHATSAPP,
		"ussd": ticketv1.Channel_CHANNEL_USSD, "open311": ticketv1.Channel_CHANNEL_OPEN311,
		"walk_in": ticketv1.Channel_CHANNEL_WALK_IN,
	}
)

func ts(t *time.Time) *timestamppb.Timestamp {
	if t == nil {
		return nil
	}
	return timestamppb.New(*t)
}

func timeIn(p *timestamppb.Timestamp) *time.Time {
	if p == nil {
		return nil
	}
	t := p.AsTime()
	return &t
}

func ticketOut(t domain.Ticket) *ticketv1.Ticket {
	out := &ticketv1.Ticket{
		Id: t.ID, Reference: t.Reference, Tenant: t.Tenant,
		Category: categoryOut[t.Category], Status: statusOut[t.Status], Description: t.Description,
		Address: t.Address, ReporterSubject: t.ReporterSubject, Channel: channelOut[t.Channel],
		AssignedTeamId: t.AssignedTeamID, AssignedTeamName: t.AssignedTeamName,
		AssignedPersonId: t.AssignedPersonID, AssignmentReason: vocab.MustParse[commonv1.AssignmentReason](t.AssignmentReason),
		FirstRespondedAt: ts(t.FirstRespondedAt), ResponseDeadline: ts(t.ResponseDeadline),
		ResolutionDeadline: ts(t.ResolutionDeadline), EscalatedAt: ts(t.EscalatedAt),
		EscalationReason: vocab.MustParse[commonv1.AssignmentReason](t.EscalationReason), EscalationLevel: t.EscalationLevel, CancelReason: t.CancelReason,
		CreateTime: ts(&t.CreateTime), UpdateTime: ts(&t.UpdateTime),
		ResolveTime: ts(t.ResolveTime), CloseTime: ts(t.CloseTime),
	}
	// A receipt (GBV, no content) carries no location either.
	if t.Location != (domain.Point{}) {
		out.Location = &commonv1.LatLng{Latitude: t.Location.Lat, Longitude: t.Location.Lng}
	}
	if t.Reporter != (domain.Reporter{}) {
		out.Reporter = &ticketv1.Reporter{Name: t.Reporter.Name, Phone: t.Reporter.Phone, Email: t.Reporter.Email}
	}
	return out
}

func noteOut(n domain.Note) *ticketv1.TicketNote {
	vis := ticketv1.NoteVisibility_NOTE_VISIBILITY_INTERNAL
	if n.Visibility == domain.NotePublic {
		vis = ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC
	}
	return &ticketv1.TicketNote{Id: n.ID, TicketId: n.TicketID, Author: n.Author, Visibility: vis,
		Body: n.Body, CreateTime: ts(&n.CreateTime)}
}

func historyOut(h domain.HistoryEntry) *ticketv1.HistoryEntry {
	return &ticketv1.HistoryEntry{Sequence: h.Sequence, TicketId: h.TicketID, Kind: h.Kind, Actor: h.Actor,
		FromStatus: statusOut[h.From], ToStatus: statusOut[h.To], Reason: h.Reason, Detail: h.Detail,
		CreateTime: ts(&h.CreateTime)}
}

func accessLogOut(e domain.AccessLogEntry) *ticketv1.GbvAccessLogEntry {
	return &ticketv1.GbvAccessLogEntry{Id: e.ID, Tenant: e.Tenant, TicketId: e.TicketID, Subject: e.Subject,
		Roles: e.Roles, Action: e.Action, CreateTime: ts(&e.CreateTime)}
}
