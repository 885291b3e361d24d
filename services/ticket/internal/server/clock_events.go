package server

import (
	"context"
	"time"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

var slaEventKinds = map[ticketv1.SlaEventKind]string{
	ticketv1.SlaEventKind_SLA_EVENT_KIND_WARNING: domain.HistorySLAWarning,
	ticketv1.SlaEventKind_SLA_EVENT_KIND_BREACH:  domain.HistorySLABreach,
}

var slaClocks = map[ticketv1.SlaClock]string{
	ticketv1.SlaClock_SLA_CLOCK_RESPONSE:   "response",
	ticketv1.SlaClock_SLA_CLOCK_RESOLUTION: "resolution",
}

// RecordClockEvent implements TicketInternalService.
func (s *Server) RecordClockEvent(ctx context.Context, req *ticketv1.RecordClockEventRequest) (*ticketv1.RecordClockEventResponse, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	var deadline time.Time
	if req.GetDeadline().IsValid() {
		deadline = req.GetDeadline().AsTime()
	}
	ok, err := s.app.RecordClockEvent(ctx, v, store.ClockEvent{
		Tenant: req.GetTenant(), TicketID: req.GetTicketId(), EventID: req.GetEventId(),
		Kind: slaEventKinds[req.GetKind()], Clock: slaClocks[req.GetClock()], Cycle: req.GetCycle(), Step: req.GetStep(),
		EscalationLevel: req.GetEscalationLevel(), Deadline: deadline,
	})
	if err != nil {
		return nil, err
	}
	return &ticketv1.RecordClockEventResponse{Applied: ok}, nil
}
