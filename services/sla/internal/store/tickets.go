package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

// ticketEventLock is the first key of the advisory lock under which the
// events of one ticket are recorded ("slat"; the second is the hash of the
// ticket's id).
const ticketEventLock = 0x736c6174

// QueueTicketEventLocks adds to b (for pg.InTxReading) the statement that
// takes, until the transaction ends, the advisory lock of each ticket in
// ids, in the locks' own order. Two transactions recording events of one
// ticket then run one after the other: a later event of a ticket waits for
// the transaction still recording its creation, instead of finding no
// clocks and failing the batch it came in (domain.ErrNotClockedYet), and
// transactions that lock several tickets this way cannot deadlock on them.
func QueueTicketEventLocks(b *pgx.Batch, ids []string) {
	b.Queue(`SELECT count(pg_advisory_xact_lock($1, k)) FROM (
			SELECT DISTINCT hashtext(id) AS k FROM unnest($2::text[]) AS id ORDER BY k) s`, int32(ticketEventLock), ids)
}

// MarkEventProcessed records an event id and reports whether it was new; a
// replayed event finds its id and is applied no second time.
func MarkEventProcessed(ctx context.Context, tx pgx.Tx, ev domain.TicketEvent) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO sla.processed_events (event_id, tenant, ticket_id)
		VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING`, ev.EventID, ev.Tenant, ev.TicketID)
	if err != nil {
		return false, wrap("store.MarkEventProcessed", err)
	}
	return tag.RowsAffected() == 1, nil
}

// LockTicket returns a ticket's state, locked until the transaction ends so
// events of one ticket apply one at a time.
func LockTicket(ctx context.Context, tx pgx.Tx, ticketID string) (domain.TicketState, error) {
	t, err := scanTicketState(tx.QueryRow(ctx, getTicketSQL+` FOR UPDATE`, ticketID))
	return t, interpretError("store.LockTicket", err, outcomes{noRows: domain.ErrNotClockedYet})
}

const ticketColumns = `ticket_id, tenant, category, status, last_sequence, deadline_revision, escalation_level,
	ward_code, team_id, priority, team_sequence`

// getTicketSQL reads ticket $1.
const getTicketSQL = `SELECT ` + ticketColumns + ` FROM sla.tickets WHERE ticket_id = $1`

// scanTicketState scans a row of ticketColumns.
func scanTicketState(row pgx.Row) (domain.TicketState, error) {
	var t domain.TicketState
	err := row.Scan(&t.TicketID, &t.Tenant, &t.Category, &t.Status, &t.LastSequence, &t.DeadlineRevision, &t.EscalationLevel,
		&t.WardCode, &t.TeamID, &t.Priority, &t.TeamSequence)
	return t, err
}

// UpdateTicketDimensions records a ticket's reporting dimensions
// (TicketState.WithDimensions) on its row, locked by LockTicket.
func UpdateTicketDimensions(ctx context.Context, tx pgx.Tx, t domain.TicketState) error {
	_, err := tx.Exec(ctx, `UPDATE sla.tickets SET ward_code = $2, team_id = $3, priority = $4, team_sequence = $5
		WHERE ticket_id = $1`, t.TicketID, t.WardCode, t.TeamID, t.Priority, t.TeamSequence)
	return wrap("store.UpdateTicketDimensions", err)
}

// InsertTicket records a new ticket and reports whether it was new. A
// ticket already known is left as it is: ON CONFLICT keeps the transaction
// alive, where a unique violation would abort it (25P02 on the next query).
func InsertTicket(ctx context.Context, tx pgx.Tx, t domain.TicketState) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO sla.tickets (ticket_id, tenant, category, status, last_sequence, ward_code,
			team_id, priority, team_sequence)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (ticket_id) DO NOTHING`, t.TicketID, t.Tenant, t.Category,
		t.Status, t.LastSequence, t.WardCode, t.TeamID, t.Priority, t.TeamSequence)
	if err != nil {
		return false, wrap("store.InsertTicket", err)
	}
	return tag.RowsAffected() == 1, nil
}

// UpdateTicketStatus records the status and sequence of the last applied event.
func UpdateTicketStatus(ctx context.Context, tx pgx.Tx, ticketID, status string, sequence int64) error {
	_, err := tx.Exec(ctx, `UPDATE sla.tickets SET status = $2, last_sequence = greatest(last_sequence, $3)
		WHERE ticket_id = $1`, ticketID, status, sequence)
	return wrap("store.UpdateTicketStatus", err)
}

// UpdateTicketPriority records the priority and sequence of the last
// applied event.
func UpdateTicketPriority(ctx context.Context, tx pgx.Tx, ticketID, priority string, sequence int64) error {
	_, err := tx.Exec(ctx, `UPDATE sla.tickets SET priority = $2, last_sequence = greatest(last_sequence, $3)
		WHERE ticket_id = $1`, ticketID, priority, sequence)
	return wrap("store.UpdateTicketPriority", err)
}

// nextDeadlineRevisionSQL increments and returns ticket $1's deadline
// revision, the ordering key the ticket service uses to ignore stale
// mirrors.
const nextDeadlineRevisionSQL = `UPDATE sla.tickets SET deadline_revision = deadline_revision + 1
		WHERE ticket_id = $1 RETURNING deadline_revision`

// NextEscalationLevel hands out the ticket's next escalation level. The row
// lock of the UPDATE serialises sweepers working on different clocks of one
// ticket, so levels are gapless and never shared.
func NextEscalationLevel(ctx context.Context, tx pgx.Tx, ticketID string) (int, error) {
	var lvl int
	err := tx.QueryRow(ctx, `UPDATE sla.tickets SET escalation_level = escalation_level + 1
		WHERE ticket_id = $1 RETURNING escalation_level`, ticketID).Scan(&lvl)
	return lvl, wrap("store.NextEscalationLevel", err)
}

// Now is the database clock, the one time source every replica agrees on.
func Now(ctx context.Context, tx pgx.Tx) (time.Time, error) {
	var t time.Time
	err := tx.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&t)
	return t.UTC(), wrap("store.Now", err)
}
