package app

import (
	"context"
	"fmt"
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// RecordClockEvent adds an SLA warning or breach to a ticket's history
// (internal RPC), once per event id.
func (a *App) RecordClockEvent(ctx context.Context, v domain.Viewer, e store.ClockEvent) (bool, error) {
	if err := requireService(v); err != nil {
		return false, err
	}
	var vs []apperr.FieldViolation
	bad := func(f, r string) { vs = append(vs, apperr.FieldViolation{Field: f, Rule: r}) }
	if e.Tenant == "" {
		bad("tenant", "is required")
	}
	if checkID(e.TicketID, "ticket_id") != nil {
		bad("ticket_id", "must be a UUID")
	}
	if checkID(e.EventID, "event_id") != nil {
		bad("event_id", "must be a UUID")
	}
	if e.Kind != domain.HistorySLAWarning && e.Kind != domain.HistorySLABreach {
		bad("kind", "must be warning or breach")
	}
	if e.Clock != "response" && e.Clock != "resolution" {
		bad("clock", "must be response or resolution")
	}
	if e.Cycle < 1 {
		bad("cycle", "must be at least 1")
	}
	if e.Step < 0 || e.EscalationLevel < 0 {
		bad("step", "step and escalation_level must not be negative")
	}
	if e.Deadline.IsZero() {
		bad("deadline", "is required")
	}
	if len(vs) > 0 {
		return false, apperr.InvalidFields(vs...)
	}
	e.Deadline = e.Deadline.UTC().Truncate(time.Microsecond)
	ok, err := a.store.RecordClockEvent(ctx, v, e)
	if err != nil {
		return false, fmt.Errorf("app.RecordClockEvent: %w", err)
	}
	return ok, nil
}
