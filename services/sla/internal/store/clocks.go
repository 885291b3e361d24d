package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

const clockColumns = `tenant, ticket_id, category, kind, cycle, state, start_at, resumed_at, deadline_at, warn_at,
	warned_at, breach_steps, stop_at, elapsed_us, paused_us, paused_since, target_us, warn_target_us,
	config_id, config_version, calendar_id, next_due_at`

func scanClock(row pgx.Row) (domain.Clock, error) {
	var c domain.Clock
	var resumed, deadline, warn, warned, stop, pausedSince, nextDue *time.Time
	var configID, calendarID *string
	var elapsed, paused, target, warnTarget int64
	err := row.Scan(&c.Tenant, &c.TicketID, &c.Category, &c.Kind, &c.Cycle, &c.State, &c.StartAt, &resumed, &deadline, &warn,
		&warned, &c.BreachSteps, &stop, &elapsed, &paused, &pausedSince, &target, &warnTarget,
		&configID, &c.ConfigVersion, &calendarID, &nextDue)
	if err != nil {
		return c, err
	}
	c.StartAt = c.StartAt.UTC()
	c.ResumedAt, c.DeadlineAt, c.WarnAt, c.WarnedAt = fromNull(resumed), fromNull(deadline), fromNull(warn), fromNull(warned)
	c.StopAt, c.PausedSince, c.NextDueAt = fromNull(stop), fromNull(pausedSince), fromNull(nextDue)
	c.Elapsed, c.Paused = time.Duration(elapsed)*time.Microsecond, time.Duration(paused)*time.Microsecond
	c.Target, c.WarnTarget = time.Duration(target)*time.Microsecond, time.Duration(warnTarget)*time.Microsecond
	c.ConfigID, c.CalendarID = fromNullID(configID), fromNullID(calendarID)
	return c, nil
}

func collectClocks(op string, rows pgx.Rows, err error) ([]domain.Clock, error) {
	if err != nil {
		return nil, interpretError(op, err)
	}
	cs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Clock, error) { return scanClock(r) })
	return cs, interpretError(op, err)
}

// TicketClocks returns a ticket's clocks, response first then resolution
// cycles in order.
func TicketClocks(ctx context.Context, tx pgx.Tx, ticketID string) ([]domain.Clock, error) {
	rows, err := tx.Query(ctx, `SELECT `+clockColumns+` FROM sla.clocks WHERE ticket_id = $1
		ORDER BY kind DESC, cycle`, ticketID)
	return collectClocks("store.TicketClocks", rows, err)
}

// SaveClock inserts or replaces a clock.
func SaveClock(ctx context.Context, tx pgx.Tx, c domain.Clock) error {
	us := func(d time.Duration) int64 { return int64(d / time.Microsecond) }
	_, err := tx.Exec(ctx, `INSERT INTO sla.clocks (`+clockColumns+`)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22)
		ON CONFLICT (ticket_id, kind, cycle) DO UPDATE SET state = EXCLUDED.state, resumed_at = EXCLUDED.resumed_at,
			deadline_at = EXCLUDED.deadline_at, warn_at = EXCLUDED.warn_at, warned_at = EXCLUDED.warned_at,
			breach_steps = EXCLUDED.breach_steps, stop_at = EXCLUDED.stop_at, elapsed_us = EXCLUDED.elapsed_us,
			paused_us = EXCLUDED.paused_us, paused_since = EXCLUDED.paused_since, target_us = EXCLUDED.target_us,
			warn_target_us = EXCLUDED.warn_target_us, config_id = EXCLUDED.config_id,
			config_version = EXCLUDED.config_version, calendar_id = EXCLUDED.calendar_id, next_due_at = EXCLUDED.next_due_at`,
		c.Tenant, c.TicketID, c.Category, c.Kind, c.Cycle, c.State, c.StartAt.UTC(), nullTime(c.ResumedAt),
		nullTime(c.DeadlineAt), nullTime(c.WarnAt), nullTime(c.WarnedAt), c.BreachSteps, nullTime(c.StopAt),
		us(c.Elapsed), us(c.Paused), nullTime(c.PausedSince), us(c.Target), us(c.WarnTarget),
		nullID(c.ConfigID), c.ConfigVersion, nullID(c.CalendarID), nullTime(c.NextDueAt))
	return interpretError("store.SaveClock", err)
}

// LockDueClocks locks up to limit clocks due by now, soonest first, skipping
// clocks another sweeper holds: concurrent sweepers share the work and never
// handle one clock at the same time. The partial index on next_due_at keeps
// the cost proportional to what is due.
func LockDueClocks(ctx context.Context, tx pgx.Tx, now time.Time, limit int) ([]domain.Clock, error) {
	rows, err := tx.Query(ctx, `SELECT `+clockColumns+` FROM sla.clocks
		WHERE next_due_at IS NOT NULL AND next_due_at <= $1
		ORDER BY next_due_at LIMIT $2 FOR UPDATE SKIP LOCKED`, now.UTC(), limit)
	return collectClocks("store.LockDueClocks", rows, err)
}

// LockOpenClocks locks the running and paused clocks that a policy change may
// affect: those using configID or calendarID, or of a category the change
// applies to ("" matches every category or municipality).
func LockOpenClocks(ctx context.Context, tx pgx.Tx, configID, calendarID, municipality, category string, all bool) ([]domain.Clock, error) {
	rows, err := tx.Query(ctx, `SELECT `+clockColumns+` FROM sla.clocks
		WHERE state IN ('running', 'paused') AND (
			config_id = $1 OR calendar_id = $2
			OR ($5 AND ($3 = '' OR tenant = $3) AND ($4 = '' OR category = $4)))
		ORDER BY ticket_id, kind, cycle FOR UPDATE`, nullID(configID), nullID(calendarID), municipality, category, all)
	return collectClocks("store.LockOpenClocks", rows, err)
}
