package server

import (
	"context"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/pbtime"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// ListPublicTickets implements TicketInternalService.
func (s *Server) ListPublicTickets(ctx context.Context, req *ticketv1.ListPublicTicketsRequest) (*ticketv1.ListPublicTicketsResponse, error) {
	f := domain.PublicFilter{
		Tenant: req.GetTenant(), IDs: req.GetIds(), Limit: int(req.GetPageSize()), Offset: int(req.GetOffset()),
		CreatedAfter: pbtime.In(req.GetCreatedAfter()), CreatedBefore: pbtime.In(req.GetCreatedBefore()),
		UpdatedAfter: pbtime.In(req.GetUpdatedAfter()), UpdatedBefore: pbtime.In(req.GetUpdatedBefore()),
		Near: circleIn(req.GetNear()), WithNotes: req.GetIncludeNotes(),
	}
	var err error
	if f.Statuses, err = vocab.Repeated[domain.Status](req.GetStatuses(), "statuses", "must contain only known ticket statuses"); err != nil {
		return nil, err
	}
	if f.Categories, err = vocab.Repeated[domain.Category](req.GetCategories(), "categories", "must contain only known categories"); err != nil {
		return nil, err
	}
	ts, more, err := s.app.ListPublicTickets(ctx, f)
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
	t, err := s.app.GetPublicTicket(ctx, req.GetTenant(), req.GetId(), req.GetIncludeNotes())
	if err != nil {
		return nil, err
	}
	return &ticketv1.GetPublicTicketResponse{Ticket: publicOut(t)}, nil
}

// SubmitPublicReport implements TicketInternalService.
func (s *Server) SubmitPublicReport(ctx context.Context, req *ticketv1.SubmitPublicReportRequest) (*ticketv1.SubmitPublicReportResponse, error) {
	t, err := s.app.SubmitPublicReport(ctx, publicReport(ctx, req))
	if err != nil {
		return nil, err
	}
	return &ticketv1.SubmitPublicReportResponse{Id: t.ID, Reference: t.Reference}, nil
}

// publicReport maps an Open311 report.
func publicReport(ctx context.Context, req *ticketv1.SubmitPublicReportRequest) domain.PublicReport {
	cat, _ := vocab.Optional(req.GetCategory())
	return domain.PublicReport{
		CreateInput: domain.CreateInput{
			Tenant: req.GetTenant(), Category: domain.Category(cat), Description: req.GetDescription(),
			Location: pointIn(req.GetLocation()), Address: req.GetAddress(), Reporter: reporterIn(req.GetReporter()),
			IdempotencyKey: idempotencyKey(ctx, req.GetIdempotencyKey()),
		},
		ClientID: req.GetClientId(), MediaURL: req.GetMediaUrl(), Attributes: req.GetAttributes(),
	}
}
