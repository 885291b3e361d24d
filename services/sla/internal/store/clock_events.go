package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// InsertClockEvent records a warning or breach step once: it reports false
// when the (ticket, clock, cycle, kind, level) was already recorded, and
// otherwise sets ev.EventID to the new event's UUID.
func InsertClockEvent(ctx context.Context, tx pgx.Tx, ev *domain.ClockEvent) (bool, error) {
	err := tx.QueryRow(ctx, `INSERT INTO sla.clock_events (tenant, ticket_id, clock_kind, cycle, kind, level,
			escalation_level, create_time, deadline_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT ON CONSTRAINT clock_events_once_key DO NOTHING RETURNING event_id::text`,
		ev.Tenant, ev.TicketID, ev.ClockKind, ev.Cycle, ev.Kind, ev.Level, ev.EscalationLevel, ev.CreateTime.UTC(),
		nullTime(ev.Deadline)).Scan(&ev.EventID)
	if pg.IsNoRows(err) {
		return false, nil
	}
	if err != nil {
		return false, wrap("store.InsertClockEvent", err)
	}
	return true, nil
}

// SetEscalationLevel stores the ticket-wide level given to a breach event.
func SetEscalationLevel(ctx context.Context, tx pgx.Tx, ev domain.ClockEvent) error {
	_, err := tx.Exec(ctx, `UPDATE sla.clock_events SET escalation_level = $6
		WHERE ticket_id = $1 AND clock_kind = $2 AND cycle = $3 AND kind = $4 AND level = $5`,
		ev.TicketID, ev.ClockKind, ev.Cycle, ev.Kind, ev.Level, ev.EscalationLevel)
	return wrap("store.SetEscalationLevel", err)
}

const clockEventColumns = `tenant, ticket_id, clock_kind, cycle, kind, level, escalation_level, create_time,
	event_id::text, deadline_at, xid::text || '.' || id::text`

func scanClockEvent(r pgx.Row) (domain.ClockEvent, error) {
	var e domain.ClockEvent
	var deadline *time.Time
	err := r.Scan(&e.Tenant, &e.TicketID, &e.ClockKind, &e.Cycle, &e.Kind, &e.Level, &e.EscalationLevel, &e.CreateTime,
		&e.EventID, &deadline, &e.Cursor)
	e.CreateTime, e.Deadline = e.CreateTime.UTC(), fromNull(deadline)
	return e, err
}

func collectClockEvents(op string, rows pgx.Rows, err error) ([]domain.ClockEvent, error) {
	if err != nil {
		return nil, wrap(op, err)
	}
	evs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ClockEvent, error) { return scanClockEvent(r) })
	return evs, wrap(op, err)
}

// TicketEvents returns the warnings and breaches of a ticket in order.
func TicketEvents(ctx context.Context, tx pgx.Tx, ticketID string) ([]domain.ClockEvent, error) {
	rows, err := tx.Query(ctx, `SELECT `+clockEventColumns+` FROM sla.clock_events WHERE ticket_id = $1 ORDER BY id`, ticketID)
	return collectClockEvents("store.TicketEvents", rows, err)
}

// ParseCursor reads a feed cursor ("" is the start of the feed).
func ParseCursor(c string) (xid uint64, id int64, err error) {
	if c == "" {
		return 0, 0, nil
	}
	x, i, ok := strings.Cut(c, ".")
	if xid, err = strconv.ParseUint(x, 10, 64); !ok || err != nil {
		return 0, 0, fmt.Errorf("store.ParseCursor: %w", domain.ErrBadCursor)
	}
	if id, err = strconv.ParseInt(i, 10, 64); err != nil || id < 0 {
		return 0, 0, fmt.Errorf("store.ParseCursor: %w", domain.ErrBadCursor)
	}
	return xid, id, nil
}

// ClockEventsAfter returns up to limit events of tenant ("" for every
// municipality) after cursor in feed order: by the recording transaction's
// id, then the event id, and only events of transactions older than every
// transaction still running. An event that commits later therefore always
// sorts after every event already returned, and a consumer's cursor never
// skips one.
func ClockEventsAfter(ctx context.Context, tx pgx.Tx, tenant, cursor string, limit int) ([]domain.ClockEvent, error) {
	xid, id, err := ParseCursor(cursor)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT `+clockEventColumns+` FROM sla.clock_events
		WHERE (xid, id) > ($1::text::xid8, $2) AND xid < pg_snapshot_xmin(pg_current_snapshot())
			AND ($4 = '' OR tenant = $4)
		ORDER BY xid, id LIMIT $3`, strconv.FormatUint(xid, 10), id, limit, tenant)
	return collectClockEvents("store.ClockEventsAfter", rows, err)
}
