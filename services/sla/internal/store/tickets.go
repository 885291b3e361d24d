package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

// MarkEventProcessed records an event id and reports whether it was new; a
// replayed event finds its id and is applied no second time.
func MarkEventProcessed(ctx context.Context, tx pgx.Tx, ev domain.TicketEvent) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO sla.processed_events (event_id, tenant, ticket_id)
		VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING`, ev.EventID, ev.Tenant, ev.TicketID)
	if err != nil {
		return false, interpretError("store.MarkEventProcessed", err)
	}
	return tag.RowsAffected() == 1, nil
}

// LockTicket returns a ticket's state, locked until the transaction ends so
// events of one ticket apply one at a time.
func LockTicket(ctx context.Context, tx pgx.Tx, ticketID string) (domain.TicketState, error) {
	var t domain.TicketState
	err := tx.QueryRow(ctx, `SELECT ticket_id, tenant, category, status, last_sequence, deadline_revision, escalation_level
		FROM sla.tickets WHERE ticket_id = $1 FOR UPDATE`, ticketID).
		Scan(&t.TicketID, &t.Tenant, &t.Category, &t.Status, &t.LastSequence, &t.DeadlineRevision, &t.EscalationLevel)
	return t, interpretError("store.LockTicket", err)
}

// InsertTicket records a new ticket and reports whether it was new. A
// ticket already known is left as it is: ON CONFLICT keeps the transaction
// alive, where a unique violation would abort it (25P02 on the next query).
func InsertTicket(ctx context.Context, tx pgx.Tx, t domain.TicketState) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO sla.tickets (ticket_id, tenant, category, status, last_sequence)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ticket_id) DO NOTHING`, t.TicketID, t.Tenant, t.Category, t.Status, t.LastSequence)
	if err != nil {
		return false, interpretError("store.InsertTicket", err)
	}
	return tag.RowsAffected() == 1, nil
}

// UpdateTicketStatus records the status and sequence of the last applied event.
func UpdateTicketStatus(ctx context.Context, tx pgx.Tx, ticketID, status string, sequence int64) error {
	_, err := tx.Exec(ctx, `UPDATE sla.tickets SET status = $2, last_sequence = greatest(last_sequence, $3)
		WHERE ticket_id = $1`, ticketID, status, sequence)
	return interpretError("store.UpdateTicketStatus", err)
}

// NextDeadlineRevision increments and returns the ticket's deadline revision,
// the ordering key the ticket service uses to ignore stale mirrors.
func NextDeadlineRevision(ctx context.Context, tx pgx.Tx, ticketID string) (int64, error) {
	var rev int64
	err := tx.QueryRow(ctx, `UPDATE sla.tickets SET deadline_revision = deadline_revision + 1
		WHERE ticket_id = $1 RETURNING deadline_revision`, ticketID).Scan(&rev)
	return rev, interpretError("store.NextDeadlineRevision", err)
}

// NextEscalationLevel hands out the ticket's next escalation level. The row
// lock of the UPDATE serialises sweepers working on different clocks of one
// ticket, so levels are gapless and never shared.
func NextEscalationLevel(ctx context.Context, tx pgx.Tx, ticketID string) (int, error) {
	var lvl int
	err := tx.QueryRow(ctx, `UPDATE sla.tickets SET escalation_level = escalation_level + 1
		WHERE ticket_id = $1 RETURNING escalation_level`, ticketID).Scan(&lvl)
	return lvl, interpretError("store.NextEscalationLevel", err)
}

// InsertClockEvent records a warning or breach step once: it reports false
// when the (ticket, clock, cycle, kind, level) was already recorded.
func InsertClockEvent(ctx context.Context, tx pgx.Tx, ev domain.ClockEvent) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO sla.clock_events (tenant, ticket_id, clock_kind, cycle, kind, level, escalation_level, create_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT ON CONSTRAINT clock_events_once_key DO NOTHING`,
		ev.Tenant, ev.TicketID, ev.ClockKind, ev.Cycle, ev.Kind, ev.Level, ev.EscalationLevel, ev.CreateTime.UTC())
	if err != nil {
		return false, interpretError("store.InsertClockEvent", err)
	}
	return tag.RowsAffected() == 1, nil
}

// SetEscalationLevel stores the ticket-wide level given to a breach event.
func SetEscalationLevel(ctx context.Context, tx pgx.Tx, ev domain.ClockEvent) error {
	_, err := tx.Exec(ctx, `UPDATE sla.clock_events SET escalation_level = $6
		WHERE ticket_id = $1 AND clock_kind = $2 AND cycle = $3 AND kind = $4 AND level = $5`,
		ev.TicketID, ev.ClockKind, ev.Cycle, ev.Kind, ev.Level, ev.EscalationLevel)
	return interpretError("store.SetEscalationLevel", err)
}

// TicketEvents returns the warnings and breaches of a ticket in order.
func TicketEvents(ctx context.Context, tx pgx.Tx, ticketID string) ([]domain.ClockEvent, error) {
	rows, err := tx.Query(ctx, `SELECT tenant, ticket_id, clock_kind, cycle, kind, level, escalation_level, create_time
		FROM sla.clock_events WHERE ticket_id = $1 ORDER BY id`, ticketID)
	if err != nil {
		return nil, interpretError("store.TicketEvents", err)
	}
	evs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ClockEvent, error) {
		var e domain.ClockEvent
		err := r.Scan(&e.Tenant, &e.TicketID, &e.ClockKind, &e.Cycle, &e.Kind, &e.Level, &e.EscalationLevel, &e.CreateTime)
		e.CreateTime = e.CreateTime.UTC()
		return e, err
	})
	return evs, interpretError("store.TicketEvents", err)
}

// Now is the database clock, the one time source every replica agrees on.
func Now(ctx context.Context, tx pgx.Tx) (time.Time, error) {
	var t time.Time
	err := tx.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&t)
	return t.UTC(), interpretError("store.Now", err)
}
