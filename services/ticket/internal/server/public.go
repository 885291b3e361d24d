package server

import (
	"context"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/app"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// CreateTicket implements TicketService.
func (s *Server) CreateTicket(ctx context.Context, req *ticketv1.CreateTicketRequest) (*ticketv1.CreateTicketResponse, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	ch, ok := channels[req.GetChannel()]
	if !ok {
		return nil, apperr.Invalid("channel", "must be one of the known channels")
	}
	in := domain.CreateInput{
		Tenant: req.GetTenant(), Category: categories[req.GetCategory()], Description: req.GetDescription(),
		Address: req.GetAddress(), Channel: ch, IdempotencyKey: idempotencyKey(ctx, req.GetIdempotencyKey()),
		Reporter: domain.Reporter{Name: req.GetReporter().GetName(), Phone: req.GetReporter().GetPhone(), Email: req.GetReporter().GetEmail()},
	}
	if l := req.GetLocation(); l != nil {
		in.Location = &domain.Point{Lat: l.GetLatitude(), Lng: l.GetLongitude()}
	}
	t, err := s.app.CreateTicket(ctx, v, in)
	if err != nil {
		return nil, err
	}
	return &ticketv1.CreateTicketResponse{Ticket: ticketOut(t)}, nil
}

// GetTicket implements TicketService.
func (s *Server) GetTicket(ctx context.Context, req *ticketv1.GetTicketRequest) (*ticketv1.GetTicketResponse, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.app.GetTicket(ctx, v, req.GetId())
	if err != nil {
		return nil, err
	}
	return &ticketv1.GetTicketResponse{Ticket: ticketOut(t)}, nil
}

// ListTickets implements TicketService.
func (s *Server) ListTickets(ctx context.Context, req *ticketv1.ListTicketsRequest) (*ticketv1.ListTicketsResponse, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	f, err := filterIn(req)
	if err != nil {
		return nil, err
	}
	ts, next, err := s.app.ListTickets(ctx, v, app.ListRequest{Filter: f, PageSize: int(req.GetPageSize()), PageToken: req.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &ticketv1.ListTicketsResponse{NextPageToken: next}
	for _, t := range ts {
		out.Tickets = append(out.Tickets, ticketOut(t))
	}
	return out, nil
}

// filterIn maps the list filters, refusing unknown enum values by field.
func filterIn(req *ticketv1.ListTicketsRequest) (domain.Filter, error) {
	f := domain.Filter{
		Tenant: req.GetTenant(), AssignedTeamID: req.GetAssignedTeamId(), Query: req.GetQuery(), IDs: req.GetIds(),
		CreatedAfter: timeIn(req.GetCreatedAfter()), CreatedBefore: timeIn(req.GetCreatedBefore()),
		UpdatedAfter: timeIn(req.GetUpdatedAfter()), UpdatedBefore: timeIn(req.GetUpdatedBefore()),
	}
	for _, st := range req.GetStatuses() {
		d, ok := statuses[st]
		if !ok {
			return f, apperr.Invalid("statuses", "must contain only known ticket statuses")
		}
		f.Statuses = append(f.Statuses, d)
	}
	for _, c := range req.GetCategories() {
		d, ok := categories[c]
		if !ok {
			return f, apperr.Invalid("categories", "must contain only known categories")
		}
		f.Categories = append(f.Categories, d)
	}
	o, ok := orders[req.GetOrderBy()]
	if !ok {
		return f, apperr.Invalid("order_by", "must be a known order")
	}
	f.Order = o
	if b := req.GetBbox(); b != nil {
		f.BBox = &domain.BBox{MinLat: b.GetMinLatitude(), MinLng: b.GetMinLongitude(), MaxLat: b.GetMaxLatitude(), MaxLng: b.GetMaxLongitude()}
	}
	if c := req.GetNear(); c != nil {
		f.Near = &domain.Circle{Center: domain.Point{Lat: c.GetCenter().GetLatitude(), Lng: c.GetCenter().GetLongitude()}, Meters: c.GetRadiusMeters()}
	}
	return f, nil
}

// UpdateTicketStatus implements TicketService.
func (s *Server) UpdateTicketStatus(ctx context.Context, req *ticketv1.UpdateTicketStatusRequest) (*ticketv1.UpdateTicketStatusResponse, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.app.UpdateTicketStatus(ctx, v, req.GetId(), statuses[req.GetStatus()], req.GetReason())
	if err != nil {
		return nil, err
	}
	return &ticketv1.UpdateTicketStatusResponse{Ticket: ticketOut(t)}, nil
}
