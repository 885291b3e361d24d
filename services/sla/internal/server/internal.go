package server

import (
	"context"
	"time"

	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// RecordTicketEvent implements SlaInternalService.
func (s *Server) RecordTicketEvent(ctx context.Context, req *slav1.RecordTicketEventRequest) (*slav1.RecordTicketEventResponse, error) {
	var at time.Time
	if req.GetOccurTime().IsValid() {
		at = req.GetOccurTime().AsTime()
	}
	clocks, applied, err := s.app.RecordTicketEvent(ctx, domain.TicketEvent{EventID: req.GetEventId(), Tenant: req.GetTenant(),
		TicketID: req.GetTicketId(), Category: vocab.Word(req.GetCategory()), Kind: vocab.Word(req.GetKind()),
		From: vocab.Word(req.GetFromStatus()), To: vocab.Word(req.GetToStatus()), FirstResponse: req.GetFirstResponse(),
		At: at, Sequence: req.GetSequence(), WardCode: req.GetWardCode(), TeamID: req.GetTeamId(),
		Priority: vocab.Word(req.GetPriority())})
	if err != nil {
		return nil, err
	}
	return &slav1.RecordTicketEventResponse{Clocks: clocksOut(clocks), Applied: applied}, nil
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
