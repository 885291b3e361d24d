package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// ClockEvent is an SLA warning or breach of one of a ticket's clocks.
type ClockEvent struct {
	Tenant, TicketID, EventID string
	// Kind is domain.HistorySLAWarning or domain.HistorySLABreach.
	Kind string
	// Clock is "response" or "resolution".
	Clock           string
	Cycle, Step     int32
	EscalationLevel int32
	Deadline        time.Time
}

// RecordClockEvent appends e to the ticket's history unless its event id is
// there already (the ticket's row lock orders concurrent deliveries); it
// reports whether it appended. The entry holds ids and times only.
func (s *Store) RecordClockEvent(ctx context.Context, v domain.Viewer, e ClockEvent) (bool, error) {
	applied := false
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		var id string
		if err := lockForService(ctx, tx, e.Tenant, e.TicketID, "id::text", &id); err != nil {
			return err
		}
		var seen bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM ticket.history WHERE ticket_id = $1 AND event_id = $2)`,
			e.TicketID, e.EventID).Scan(&seen); err != nil {
			return fmt.Errorf("find event: %w", err)
		}
		if seen {
			return nil
		}
		applied = true
		detail := fmt.Sprintf("%s clock cycle %d step %d, deadline %s", e.Clock, e.Cycle, e.Step, e.Deadline.UTC().Format(time.RFC3339))
		if e.EscalationLevel > 0 {
			detail += fmt.Sprintf(", escalation level %d", e.EscalationLevel)
		}
		return s.appendSystemHistory(ctx, tx, e.TicketID, s.timestamp(), domain.HistoryEntry{Kind: e.Kind,
			Reason: e.Clock, Detail: detail, EventID: e.EventID})
	})
	if err != nil {
		return false, fmt.Errorf("store.RecordClockEvent: %w", err)
	}
	return applied, nil
}
