package server

import (
	"context"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// ListPublicTickets implements TicketInternalService.
func (s *Server) ListPublicTickets(ctx context.Context, req *ticketv1.ListPublicTicketsRequest) (*ticketv1.ListPublicTicketsResponse, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	f := domain.PublicFilter{
		Tenant: req.GetTenant(), IDs: req.GetIds(), Limit: int(req.GetPageSize()), Offset: int(req.GetOffset()),
		CreatedAfter: timeIn(req.GetCreatedAfter()), CreatedBefore: timeIn(req.GetCreatedBefore()),
		UpdatedAfter: timeIn(req.GetUpdatedAfter()), UpdatedBefore: timeIn(req.GetUpdatedBefore()),
		WithNotes: req.GetIncludeNotes(),
	}
	for _, st := range req.GetStatuses() {
		d, ok := statuses[st]
		if !ok {
			return nil, apperr.Invalid("statuses", "must contain only known ticket statuses")
		}
		f.Statuses = append(f.Statuses, d)
	}
	for _, c := range req.GetCategories() {
		d, ok := categories[c]
		if !ok {
			return nil, apperr.Invalid("categories", "must contain only known categories")
		}
		f.Categories = append(f.Categories, d)
	}
	if c := req.GetNear(); c != nil {
		f.Near = &domain.Circle{Center: domain.Point{Lat: c.GetCenter().GetLatitude(), Lng: c.GetCenter().GetLongitude()}, Meters: c.GetRadiusMeters()}
	}
	ts, more, err := s.app.ListPublicTickets(ctx, v, f)
	if err != nil {
		return nil, err
	}
	out := &ticketv1.ListPublicTicketsResponse{More: more}
	for _, t := range ts {
		out.Tickets = append(out.Tickets, publicOut(t))
	}
	return out, nil
}

// GetPublicTicket implements TicketInternalService.
func (s *Server) GetPublicTicket(ctx context.Context, req *ticketv1.GetPublicTicketRequest) (*ticketv1.GetPublicTicketResponse, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.app.GetPublicTicket(ctx, v, req.GetTenant(), req.GetId(), req.GetIncludeNotes())
	if err != nil {
		return nil, err
	}
	return &ticketv1.GetPublicTicketResponse{Ticket: publicOut(t)}, nil
}

// SubmitPublicReport implements TicketInternalService.
func (s *Server) SubmitPublicReport(ctx context.Context, req *ticketv1.SubmitPublicReportRequest) (*ticketv1.SubmitPublicReportResponse, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	r := domain.PublicReport{
		CreateInput: domain.CreateInput{
			Tenant: req.GetTenant(), Category: categories[req.GetCategory()], Description: req.GetDescription(),
			Address: req.GetAddress(), IdempotencyKey: idempotencyKey(ctx, req.GetIdempotencyKey()),
			Reporter: domain.Reporter{Name: req.GetReporter().GetName(), Phone: req.GetReporter().GetPhone(), Email: req.GetReporter().GetEmail()},
		},
		ClientID: req.GetClientId(), MediaURL: req.GetMediaUrl(), Attributes: req.GetAttributes(),
	}
	if l := req.GetLocation(); l != nil {
		r.Location = &domain.Point{Lat: l.GetLatitude(), Lng: l.GetLongitude()}
	}
	t, err := s.app.SubmitPublicReport(ctx, v, r)
	if err != nil {
		return nil, err
	}
	return &ticketv1.SubmitPublicReportResponse{Id: t.ID, Reference: t.Reference}, nil
}

func publicOut(t domain.PublicTicket) *ticketv1.PublicTicket {
	out := &ticketv1.PublicTicket{
		Id: t.ID, Reference: t.Reference, Tenant: t.Tenant, Category: categoryOut[t.Category],
		Status: statusOut[t.Status], Description: t.Description, Address: t.Address, MediaUrl: t.MediaURL,
		Location:         &commonv1.LatLng{Latitude: t.Location.Lat, Longitude: t.Location.Lng},
		AssignedTeamName: t.AssignedTeamName, ResponseDeadline: ts(t.ResponseDeadline),
		ResolutionDeadline: ts(t.ResolutionDeadline), EscalatedAt: ts(t.EscalatedAt),
		EscalationLevel: t.EscalationLevel, CancelReason: t.CancelReason,
		CreateTime: ts(&t.CreateTime), UpdateTime: ts(&t.UpdateTime),
	}
	for _, n := range t.Notes {
		out.Notes = append(out.Notes, &ticketv1.PublicNote{Body: n.Body, CreateTime: ts(&n.CreateTime)})
	}
	return out
}
