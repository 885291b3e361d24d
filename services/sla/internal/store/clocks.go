package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

const clockColumns = `tenant, ticket_id, category, kind, cycle, state, start_at, resumed_at, deadline_at, warn_at,
	warned_at, breach_steps, stop_at, elapsed_us, paused_us, paused_since, target_us, warn_target_us,
	config_id, config_version, calendar_id, next_due_at, calendar_version, warn_count, priority`

func scanClock(row pgx.Row) (domain.Clock, error) {
	var c domain.Clock
	var resumed, deadline, warn, warned, stop, pausedSince, nextDue *time.Time
	var configID, calendarID *string
	var elapsed, paused, target, warnTarget int64
	err := row.Scan(&c.Tenant, &c.TicketID, &c.Category, &c.Kind, &c.Cycle, &c.State, &c.StartAt, &resumed, &deadline, &warn,
		&warned, &c.BreachSteps, &stop, &elapsed, &paused, &pausedSince, &target, &warnTarget,
		&configID, &c.ConfigVersion, &calendarID, &nextDue, &c.CalendarVersion, &c.WarnCount, &c.Priority)
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
		return nil, wrap(op, err)
	}
	cs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Clock, error) { return scanClock(r) })
	return cs, wrap(op, err)
}

// TicketClocks returns a ticket's clocks, response first then resolution
// cycles in order.
func TicketClocks(ctx context.Context, tx pgx.Tx, ticketID string) ([]domain.Clock, error) {
	rows, err := tx.Query(ctx, ticketClocksSQL, ticketID)
	return collectClocks("store.TicketClocks", rows, err)
}

// ticketClocksSQL reads ticket $1's clocks in TicketClocks's order.
const ticketClocksSQL = `SELECT ` + clockColumns + ` FROM sla.clocks WHERE ticket_id = $1 ORDER BY kind DESC, cycle`

// LockTicketClocks is TicketClocks with row locks, so a rule change and a
// ticket event never overwrite each other's clock changes.
func LockTicketClocks(ctx context.Context, tx pgx.Tx, ticketID string) ([]domain.Clock, error) {
	rows, err := tx.Query(ctx, `SELECT `+clockColumns+` FROM sla.clocks WHERE ticket_id = $1
		ORDER BY kind DESC, cycle FOR UPDATE`, ticketID)
	return collectClocks("store.LockTicketClocks", rows, err)
}

func us(d time.Duration) int64 { return int64(d / time.Microsecond) }

// SaveClock inserts or replaces a clock and appends the segments it closed.
func SaveClock(ctx context.Context, tx pgx.Tx, c domain.Clock) error {
	return SaveClocks(ctx, tx, []domain.Clock{c})
}

// queueSaveClock adds SaveClock of c to b.
func queueSaveClock(b *pgx.Batch, c domain.Clock) {
	b.Queue(`INSERT INTO sla.clocks (`+clockColumns+`)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25)
		ON CONFLICT (ticket_id, kind, cycle) DO UPDATE SET state = EXCLUDED.state, resumed_at = EXCLUDED.resumed_at,
			deadline_at = EXCLUDED.deadline_at, warn_at = EXCLUDED.warn_at, warned_at = EXCLUDED.warned_at,
			breach_steps = EXCLUDED.breach_steps, stop_at = EXCLUDED.stop_at, elapsed_us = EXCLUDED.elapsed_us,
			paused_us = EXCLUDED.paused_us, paused_since = EXCLUDED.paused_since, target_us = EXCLUDED.target_us,
			warn_target_us = EXCLUDED.warn_target_us, config_id = EXCLUDED.config_id,
			config_version = EXCLUDED.config_version, calendar_id = EXCLUDED.calendar_id, next_due_at = EXCLUDED.next_due_at,
			calendar_version = EXCLUDED.calendar_version, warn_count = EXCLUDED.warn_count, priority = EXCLUDED.priority`,
		c.Tenant, c.TicketID, c.Category, c.Kind, c.Cycle, c.State, c.StartAt.UTC(), nullTime(c.ResumedAt),
		nullTime(c.DeadlineAt), nullTime(c.WarnAt), nullTime(c.WarnedAt), c.BreachSteps, nullTime(c.StopAt),
		us(c.Elapsed), us(c.Paused), nullTime(c.PausedSince), us(c.Target), us(c.WarnTarget),
		nullID(c.ConfigID), c.ConfigVersion, nullID(c.CalendarID), nullTime(c.NextDueAt), c.CalendarVersion, c.WarnCount, c.Priority)
	for _, sg := range c.NewSegments {
		b.Queue(`INSERT INTO sla.clock_segments (tenant, ticket_id, clock_kind, cycle, start_at, end_at,
			calendar_id, calendar_version, config_id, config_version, elapsed_us, end_reason)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`, c.Tenant, c.TicketID, c.Kind, c.Cycle, sg.From.UTC(), sg.To.UTC(),
			nullID(sg.Calendar.ID), sg.Calendar.Version, nullID(sg.ConfigID), sg.ConfigVersion, us(sg.Elapsed), sg.EndReason)
	}
}

// TicketSegments returns the closed segments of a ticket's clocks in order.
func TicketSegments(ctx context.Context, tx pgx.Tx, ticketID string) ([]domain.ClockSegment, error) {
	rows, err := tx.Query(ctx, `SELECT clock_kind, cycle, start_at, end_at, calendar_id, calendar_version, config_id,
			config_version, elapsed_us, end_reason
		FROM sla.clock_segments WHERE ticket_id = $1 ORDER BY clock_kind DESC, cycle, id`, ticketID)
	if err != nil {
		return nil, wrap("store.TicketSegments", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ClockSegment, error) {
		var sg domain.ClockSegment
		var cal, cfg *string
		var elapsed int64
		err := r.Scan(&sg.ClockKind, &sg.Cycle, &sg.From, &sg.To, &cal, &sg.Calendar.Version, &cfg, &sg.ConfigVersion,
			&elapsed, &sg.EndReason)
		sg.From, sg.To, sg.Elapsed = sg.From.UTC(), sg.To.UTC(), time.Duration(elapsed)*time.Microsecond
		sg.Calendar.ID, sg.ConfigID = fromNullID(cal), fromNullID(cfg)
		return sg, err
	})
	return out, wrap("store.TicketSegments", err)
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

// LockOpenClocks locks the open clocks (running, paused, or breached and not
// stopped) that a rule change may affect: those using configID or
// calendarID, or of a category the change applies to ("" matches every
// category or municipality).
func LockOpenClocks(ctx context.Context, tx pgx.Tx, configID, calendarID, municipality, category string, all bool) ([]domain.Clock, error) {
	rows, err := tx.Query(ctx, `SELECT `+clockColumns+` FROM sla.clocks
		WHERE (state IN ('running', 'paused') OR (state = 'breached' AND stop_at IS NULL)) AND (
			config_id = $1 OR calendar_id = $2
			OR ($5 AND ($3 = '' OR tenant = $3) AND ($4 = '' OR category = $4)))
		ORDER BY ticket_id, kind DESC, cycle FOR UPDATE`, nullID(configID), nullID(calendarID), municipality, category, all)
	return collectClocks("store.LockOpenClocks", rows, err)
}
