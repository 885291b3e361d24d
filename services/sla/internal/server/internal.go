package server

import (
	"context"
	"time"

	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// RecordTicketEvent implements SlaInternalService.
func (s *Server) RecordTicketEvent(ctx context.Context, req *slav1.RecordTicketEventRequest) (*slav1.RecordTicketEventResponse, error) {
	clocks, applied, err := s.app.RecordTicketEvent(ctx, ticketEventIn(req))
	if err != nil {
		return nil, err
	}
	return &slav1.RecordTicketEventResponse{Clocks: clocksOut(clocks), Applied: applied}, nil
}

// BatchRecordTicketEvents implements SlaInternalService.
func (s *Server) BatchRecordTicketEvents(ctx context.Context, req *slav1.BatchRecordTicketEventsRequest) (*slav1.BatchRecordTicketEventsResponse, error) {
	b := access.Batch[domain.TicketEvent]{Tenant: req.GetTenant()}
	for _, r := range req.GetRequests() {
		b.Items = append(b.Items, ticketEventIn(r))
	}
	applied, err := s.app.BatchRecordTicketEvents(ctx, b)
	if err != nil {
		return nil, err
	}
	return &slav1.BatchRecordTicketEventsResponse{Applied: applied}, nil
}

// ticketEventIn is the domain input of req.
func ticketEventIn(req *slav1.RecordTicketEventRequest) domain.TicketEvent {
	var at time.Time
	if req.GetOccurTime().IsValid() {
		at = req.GetOccurTime().AsTime()
	}
	return domain.TicketEvent{EventID: req.GetEventId(), Tenant: req.GetTenant(),
		TicketID: req.GetTicketId(), Category: vocab.Word(req.GetCategory()), Kind: vocab.Word(req.GetKind()),
		From: vocab.Word(req.GetFromStatus()), To: vocab.Word(req.GetToStatus()), FirstResponse: req.GetFirstResponse(),
		At: at, Sequence: req.GetSequence(), WardCode: req.GetWardCode(), TeamID: req.GetTeamId(),
		Priority: vocab.Word(req.GetPriority())}
}

// RunSweep implements SlaInternalService.
func (s *Server) RunSweep(ctx context.Context, req *slav1.RunSweepRequest) (*slav1.RunSweepResponse, error) {
	res, err := s.app.RunSweep(ctx, int(req.GetLimit()))
	if err != nil {
		return nil, err
	}
	return &slav1.RunSweepResponse{Warnings: int32(res.Warnings), Breaches: int32(res.Breaches)}, nil
}

// ListClockEvents implements SlaInternalService.
func (s *Server) ListClockEvents(ctx context.Context, req *slav1.ListClockEventsRequest) (*slav1.ListClockEventsResponse, error) {
	evs, next, err := s.app.ListClockEvents(ctx, domain.FeedQuery{After: req.GetAfter(), PageSize: int(req.GetPageSize())})
	if err != nil {
		return nil, err
	}
	return &slav1.ListClockEventsResponse{Events: eventsOut(evs), NextCursor: next}, nil
}
