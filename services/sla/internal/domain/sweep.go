package domain

import (
	"fmt"
	"time"

	"github.com/salga/trustengine/services/sla/internal/domain/calendar"
)

// Clock event kinds.
const (
	EventWarning = "warning"
	EventBreach  = "breach"
)

// ClockEvent is a warning or breach step of a clock. Level counts the
// clock's warnings (1 for the first; 0 for warnings recorded before a clock
// could warn again) and is the breach step (1 at the deadline) for breaches; EscalationLevel is
// the ticket-wide level sent to routing.
type ClockEvent struct {
	Tenant          string
	TicketID        string
	ClockKind       string
	Cycle           int
	Kind            string
	Level           int
	EscalationLevel int
	CreateTime      time.Time
	// EventID is the event's stable UUID, set when it is stored.
	EventID string
	// Deadline is the clock's deadline when the event was recorded.
	Deadline time.Time
	// Cursor is the event's position in the feed of all clock events.
	Cursor string
}

// Due returns every warning and breach step of c due by now, in order, and
// advances c past them. After downtime it catches up on every missed step.
func (c *Clock) Due(now time.Time, cal *calendar.Calendar) []ClockEvent {
	if !c.IsOpen() || c.State == StatePaused {
		return nil
	}
	var evs []ClockEvent
	ev := func(kind string, level int) ClockEvent {
		return ClockEvent{Tenant: c.Tenant, TicketID: c.TicketID, ClockKind: c.Kind, Cycle: c.Cycle, Kind: kind, Level: level,
			Deadline: c.DeadlineAt}
	}
	if c.WarnedAt.IsZero() && !c.WarnAt.After(now) {
		c.WarnedAt = now
		c.WarnCount++
		evs = append(evs, ev(EventWarning, c.WarnCount))
	}
	for c.BreachSteps < MaxBreachSteps && !c.StepDue(c.BreachSteps+1, cal).After(now) {
		c.BreachSteps++
		c.State = StateBreached
		evs = append(evs, ev(EventBreach, c.BreachSteps))
	}
	c.NextDueAt = c.nextDue(cal)
	return evs
}

// EscalationNote is the note routing records with the escalation a breach
// step asks for: which clock breached, and how far.
func (e ClockEvent) EscalationNote() string {
	return fmt.Sprintf("%s clock (cycle %d) breached, step %d", e.ClockKind, e.Cycle, e.Level)
}
