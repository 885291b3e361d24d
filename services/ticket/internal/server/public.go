package server

import (
	"context"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/pbtime"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// CreateTicket implements TicketService.
func (s *Server) CreateTicket(ctx context.Context, req *ticketv1.CreateTicketRequest) (*ticketv1.CreateTicketResponse, error) {
	in, err := createInput(ctx, req)
	if err != nil {
		return nil, err
	}
	t, dups, err := s.app.CreateTicket(ctx, in)
	if err != nil {
		return nil, err
	}
	return &ticketv1.CreateTicketResponse{Ticket: ticketOut(t), LikelyDuplicates: nearbyListOut(dups)}, nil
}

// createInput maps a create request, refusing a channel the contract does
// not define and preferences that do not map.
func createInput(ctx context.Context, req *ticketv1.CreateTicketRequest) (domain.CreateInput, error) {
	ch, ok := vocab.Optional(req.GetChannel())
	if !ok {
		return domain.CreateInput{}, apperr.Invalid("channel", "must be one of the known channels")
	}
	cat, _ := vocab.Optional(req.GetCategory())
	prio, ok := vocab.Optional(req.GetPriority())
	if !ok {
		return domain.CreateInput{}, apperr.Invalid("priority", "must be one of PRIORITY_P1_CRITICAL to PRIORITY_P4_LOW")
	}
	prefs, err := preferencesIn(req.GetReporterPreferences())
	if err != nil {
		return domain.CreateInput{}, err
	}
	return domain.CreateInput{
		Tenant: req.GetTenant(), Category: domain.Category(cat), Description: req.GetDescription(),
		Location: pointIn(req.GetLocation()), Address: req.GetAddress(), Reporter: reporterIn(req.GetReporter()),
		Channel: domain.Channel(ch), IdempotencyKey: idempotencyKey(ctx, req.GetIdempotencyKey()), Preferences: prefs,
		Priority: domain.Priority(prio),
	}, nil
}

// GetTicket implements TicketService.
func (s *Server) GetTicket(ctx context.Context, req *ticketv1.GetTicketRequest) (*ticketv1.GetTicketResponse, error) {
	t, err := s.app.GetTicket(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &ticketv1.GetTicketResponse{Ticket: ticketOut(t)}, nil
}

// ListTickets implements TicketService.
func (s *Server) ListTickets(ctx context.Context, req *ticketv1.ListTicketsRequest) (*ticketv1.ListTicketsResponse, error) {
	f, err := filterIn(req)
	if err != nil {
		return nil, err
	}
	ts, next, err := s.app.ListTickets(ctx, domain.ListRequest{Filter: f, PageSize: int(req.GetPageSize()), PageToken: req.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &ticketv1.ListTicketsResponse{NextPageToken: next}
	for _, t := range ts {
		out.Tickets = append(out.Tickets, ticketOut(t))
	}
	return out, nil
}

// filterIn maps the list filters, refusing enum values the contract does
// not define, by field.
func filterIn(req *ticketv1.ListTicketsRequest) (domain.Filter, error) {
	f := domain.Filter{
		Tenant: req.GetTenant(), AssignedTeamID: req.GetAssignedTeamId(), Query: req.GetQuery(), IDs: req.GetIds(),
		CreatedAfter: pbtime.In(req.GetCreatedAfter()), CreatedBefore: pbtime.In(req.GetCreatedBefore()),
		UpdatedAfter: pbtime.In(req.GetUpdatedAfter()), UpdatedBefore: pbtime.In(req.GetUpdatedBefore()),
		Near: circleIn(req.GetNear()), WardCode: req.GetWardCode(),
	}
	var err error
	if f.Statuses, err = vocab.Repeated[domain.Status](req.GetStatuses(), "statuses", "must contain only known ticket statuses"); err != nil {
		return f, err
	}
	if f.Categories, err = vocab.Repeated[domain.Category](req.GetCategories(), "categories", "must contain only known categories"); err != nil {
		return f, err
	}
	order, ok := vocab.Optional(req.GetOrderBy())
	if !ok {
		return f, apperr.Invalid("order_by", "must be a known order")
	}
	f.Order = domain.Order(order)
	if b := req.GetBbox(); b != nil {
		f.BBox = &domain.BBox{MinLat: b.GetMinLatitude(), MinLng: b.GetMinLongitude(), MaxLat: b.GetMaxLatitude(), MaxLng: b.GetMaxLongitude()}
	}
	return f, nil
}

// UpdateTicketStatus implements TicketService.
func (s *Server) UpdateTicketStatus(ctx context.Context, req *ticketv1.UpdateTicketStatusRequest) (*ticketv1.UpdateTicketStatusResponse, error) {
	to, _ := vocab.Optional(req.GetStatus())
	t, err := s.app.UpdateTicketStatus(ctx, domain.StatusChange{TicketID: req.GetId(), To: domain.Status(to), Reason: req.GetReason()})
	if err != nil {
		return nil, err
	}
	return &ticketv1.UpdateTicketStatusResponse{Ticket: ticketOut(t)}, nil
}
