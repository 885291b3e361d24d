package server

import (
	"context"
	"time"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// RecordClockEvent implements TicketInternalService.
func (s *Server) RecordClockEvent(ctx context.Context, req *ticketv1.RecordClockEventRequest) (*ticketv1.RecordClockEventResponse, error) {
	var deadline time.Time
	if req.GetDeadline().IsValid() {
		deadline = req.GetDeadline().AsTime()
	}
	ok, err := s.app.RecordClockEvent(ctx, domain.ClockEvent{
		Tenant: req.GetTenant(), TicketID: req.GetTicketId(), EventID: req.GetEventId(),
		Kind: vocab.Word(req.GetKind()), Clock: vocab.Word(req.GetClock()), Cycle: req.GetCycle(), Step: req.GetStep(),
		EscalationLevel: req.GetEscalationLevel(), Deadline: deadline,
	})
	if err != nil {
		return nil, err
	}
	return &ticketv1.RecordClockEventResponse{Applied: ok}, nil
}
