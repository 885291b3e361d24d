package server

import (
	"context"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// AddTicketNote implements TicketService.
func (s *Server) AddTicketNote(ctx context.Context, req *ticketv1.AddTicketNoteRequest) (*ticketv1.AddTicketNoteResponse, error) {
	vis, ok := vocab.Optional(req.GetVisibility())
	if !ok {
		return nil, apperr.Invalid("visibility", "must be INTERNAL or PUBLIC")
	}
	n, err := s.app.AddTicketNote(ctx, domain.NewNote{TicketID: req.GetTicketId(), Visibility: vis, Body: req.GetBody()})
	if err != nil {
		return nil, err
	}
	return &ticketv1.AddTicketNoteResponse{Note: noteOut(n)}, nil
}

// ListTicketNotes implements TicketService.
func (s *Server) ListTicketNotes(ctx context.Context, req *ticketv1.ListTicketNotesRequest) (*ticketv1.ListTicketNotesResponse, error) {
	ns, err := s.app.ListTicketNotes(ctx, req.GetTicketId())
	if err != nil {
		return nil, err
	}
	out := &ticketv1.ListTicketNotesResponse{}
	for _, n := range ns {
		out.Notes = append(out.Notes, noteOut(n))
	}
	return out, nil
}

// GetTicketHistory implements TicketService.
func (s *Server) GetTicketHistory(ctx context.Context, req *ticketv1.GetTicketHistoryRequest) (*ticketv1.GetTicketHistoryResponse, error) {
	hs, err := s.app.GetTicketHistory(ctx, req.GetTicketId())
	if err != nil {
		return nil, err
	}
	out := &ticketv1.GetTicketHistoryResponse{}
	for _, h := range hs {
		out.Entries = append(out.Entries, historyOut(h))
	}
	return out, nil
}

// ListGbvAccessLog implements TicketService.
func (s *Server) ListGbvAccessLog(ctx context.Context, req *ticketv1.ListGbvAccessLogRequest) (*ticketv1.ListGbvAccessLogResponse, error) {
	es, next, err := s.app.ListGbvAccessLog(ctx, domain.AccessLogQuery{Tenant: req.GetTenant(), TicketID: req.GetTicketId(),
		PageSize: int(req.GetPageSize()), PageToken: req.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &ticketv1.ListGbvAccessLogResponse{NextPageToken: next}
	for _, e := range es {
		out.Entries = append(out.Entries, accessLogOut(e))
	}
	return out, nil
}
