package domain

import (
	"fmt"
	"time"

	"github.com/salga/trustengine/libs/apperr"
)

// ClockEvent is an SLA warning or breach of one of a ticket's clocks.
type ClockEvent struct {
	Tenant, TicketID, EventID string
	// Kind is "warning" or "breach".
	Kind string
	// Clock is "response" or "resolution".
	Clock           string
	Cycle, Step     int32
	EscalationLevel int32
	Deadline        time.Time
}

// Validate refuses a malformed event, naming every field, and puts its
// deadline at Postgres precision.
func (e *ClockEvent) Validate() error {
	var vs apperr.Violations
	if e.Tenant == "" {
		vs.Add("tenant", "is required")
	}
	if !isID(e.TicketID) {
		vs.Add("ticket_id", "must be a UUID")
	}
	if !isID(e.EventID) {
		vs.Add("event_id", "must be a UUID")
	}
	if e.Kind != "warning" && e.Kind != "breach" {
		vs.Add("kind", "must be warning or breach")
	}
	if e.Clock != "response" && e.Clock != "resolution" {
		vs.Add("clock", "must be response or resolution")
	}
	if e.Cycle < 1 {
		vs.Add("cycle", "must be at least 1")
	}
	if e.Step < 0 || e.EscalationLevel < 0 {
		vs.Add("step", "step and escalation_level must not be negative")
	}
	if e.Deadline.IsZero() {
		vs.Add("deadline", "is required")
	}
	if err := vs.Err(); err != nil {
		return err
	}
	e.Deadline = e.Deadline.UTC().Truncate(time.Microsecond)
	return nil
}

// ForTenant is the municipality of the job e.
func (e ClockEvent) ForTenant() string { return e.Tenant }

// Entry is the `sla_warning` or `sla_breach` history entry of e: ids and
// times only, under the event's own id so it is recorded once.
func (e ClockEvent) Entry() HistoryEntry {
	detail := fmt.Sprintf("%s clock cycle %d step %d, deadline %s", e.Clock, e.Cycle, e.Step, e.Deadline.UTC().Format(time.RFC3339))
	if e.EscalationLevel > 0 {
		detail += fmt.Sprintf(", escalation level %d", e.EscalationLevel)
	}
	kind := HistorySLAWarning
	if e.Kind == "breach" {
		kind = HistorySLABreach
	}
	return HistoryEntry{Kind: kind, Reason: e.Clock, Detail: detail, EventID: e.EventID}
}
