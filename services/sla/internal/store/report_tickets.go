package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

const reportTicketColumns = `ticket_id, tenant, category, ward_code, team_id, priority, day, create_time, status,
	cancelled, open, respond_time, response_business_us, response_met, response_breached, response_pending,
	resolve_time, resolution_business_us, resolution_met, resolution_breached, resolution_pending`

func scanReportTicket(row pgx.Row) (domain.ReportTicket, error) {
	var r domain.ReportTicket
	var respond, resolve *time.Time
	var respBus, resBus int64
	err := row.Scan(&r.TicketID, &r.Tenant, &r.Category, &r.WardCode, &r.TeamID, &r.Priority, &r.Day, &r.CreateTime,
		&r.Status, &r.Cancelled, &r.Open, &respond, &respBus, &r.ResponseMet, &r.ResponseBreached, &r.ResponsePending,
		&resolve, &resBus, &r.ResolutionMet, &r.ResolutionBreached, &r.ResolutionPending)
	r.Day, r.CreateTime = r.Day.UTC(), r.CreateTime.UTC()
	r.RespondTime, r.ResolveTime = fromNull(respond), fromNull(resolve)
	r.ResponseBusiness, r.ResolutionBusiness = time.Duration(respBus)*time.Microsecond, time.Duration(resBus)*time.Microsecond
	return r, err
}

// lockReportTicketSQL reads ticket $1's report row, locked until the
// transaction ends.
const lockReportTicketSQL = `SELECT ` + reportTicketColumns + ` FROM sla.report_tickets WHERE ticket_id = $1 FOR UPDATE`

// SaveReportTicket writes a ticket's report row and applies deltas to the
// daily cells, in the caller's transaction.
func SaveReportTicket(ctx context.Context, tx pgx.Tx, r domain.ReportTicket, deltas []domain.Delta) error {
	_, err := tx.Exec(ctx, `INSERT INTO sla.report_tickets (`+reportTicketColumns+`)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)
		ON CONFLICT (ticket_id) DO UPDATE SET ward_code = EXCLUDED.ward_code, team_id = EXCLUDED.team_id,
			priority = EXCLUDED.priority, status = EXCLUDED.status, cancelled = EXCLUDED.cancelled, open = EXCLUDED.open,
			respond_time = EXCLUDED.respond_time, response_business_us = EXCLUDED.response_business_us,
			response_met = EXCLUDED.response_met, response_breached = EXCLUDED.response_breached,
			response_pending = EXCLUDED.response_pending, resolve_time = EXCLUDED.resolve_time,
			resolution_business_us = EXCLUDED.resolution_business_us, resolution_met = EXCLUDED.resolution_met,
			resolution_breached = EXCLUDED.resolution_breached, resolution_pending = EXCLUDED.resolution_pending`,
		r.TicketID, r.Tenant, r.Category, r.WardCode, r.TeamID, r.Priority, r.Day, r.CreateTime.UTC(), r.Status,
		r.Cancelled, r.Open, nullTime(r.RespondTime), us(r.ResponseBusiness), r.ResponseMet, r.ResponseBreached,
		r.ResponsePending, nullTime(r.ResolveTime), us(r.ResolutionBusiness), r.ResolutionMet, r.ResolutionBreached,
		r.ResolutionPending)
	if err != nil {
		return wrap("store.SaveReportTicket", err)
	}
	if err := ApplyDeltas(ctx, tx, deltas); err != nil {
		return wrap("store.SaveReportTicket", err)
	}
	return nil
}

// ApplyDeltas moves the cells of ds (CellChanges.Deltas: one per cell, in
// the order of their keys): each is appended to report_deltas, all in one
// round trip, and FoldReportDeltas adds them to the cells later. No row is
// shared with another transaction, so clock events of one day's tickets,
// which all move the same few cells, apply side by side.
func ApplyDeltas(ctx context.Context, tx pgx.Tx, ds []domain.Delta) error {
	if len(ds) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, d := range ds {
		k, c := d.Key, d.Counts
		b.Queue(`INSERT INTO sla.report_deltas (tenant, day, category, ward_code, team_id, priority, `+counters+`)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22)`,
			k.Tenant, k.Day, k.Category, k.WardCode, k.TeamID, k.Priority, c.Tickets, c.Cancelled, c.Responded,
			c.Responded24h, c.ResponseMet, c.ResponseBreached, c.ResponsePending, c.Resolved, c.ResolutionMet,
			c.ResolutionBreached, c.ResolutionPending, c.Open, c.ResponseWallUS, c.ResponseBusinessUS,
			c.ResolutionWallUS, c.ResolutionBusinessUS)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return wrap("store.ApplyDeltas", err)
	}
	return nil
}

// foldLock is the advisory lock a fold of the report deltas holds: one
// fold at a time, so that two never update the same cells in turn.
const foldLock = 0x736c6166 // "slaf"

// FoldReportDeltas adds up to limit of the oldest report deltas to their
// cells of report_daily, report_monthly and report_daily_totals and
// removes them, in tx, and returns how many it folded; 0 when another
// transaction is folding (it takes foldLock or leaves the work to that
// one). Reads see the same sums before and after: they add the deltas
// left.
func FoldReportDeltas(ctx context.Context, tx pgx.Tx, limit int) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `WITH lock AS (SELECT pg_try_advisory_xact_lock($2) AS held),
		moved AS (
			DELETE FROM sla.report_deltas WHERE id IN (
				SELECT id FROM sla.report_deltas WHERE (SELECT held FROM lock) ORDER BY id LIMIT $1)
			RETURNING *),
		daily AS (
			INSERT INTO sla.report_daily AS d (tenant, day, category, ward_code, team_id, priority, `+counters+`)
			SELECT tenant, day, category, ward_code, team_id, priority, `+sumCounters+` FROM moved
			GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
			ON CONFLICT (tenant, day, category, ward_code, team_id, priority) DO UPDATE SET `+addCounters+`),
		monthly AS (
			INSERT INTO sla.report_monthly AS d (tenant, day, category, ward_code, team_id, priority, `+counters+`)
			SELECT tenant, date_trunc('month', day)::date, category, ward_code, team_id, priority, `+sumCounters+`
			FROM moved GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
			ON CONFLICT (tenant, day, category, ward_code, team_id, priority) DO UPDATE SET `+addCounters+`),
		totals AS (
			INSERT INTO sla.report_daily_totals AS d (tenant, day, category, priority, `+counters+`)
			SELECT tenant, day, category, priority, `+sumCounters+` FROM moved
			GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
			ON CONFLICT (tenant, day, category, priority) DO UPDATE SET `+addCounters+`)
		SELECT count(*) FROM moved`, limit, foldLock).Scan(&n)
	if err != nil {
		return 0, wrap("store.FoldReportDeltas", err)
	}
	return n, nil
}

// counters are the summed columns of report_daily and report_daily_totals.
const counters = `tickets, cancelled, responded, responded_24h, response_met, response_breached, response_pending, resolved,
	resolution_met, resolution_breached, resolution_pending, open, response_wall_us, response_business_us,
	resolution_wall_us, resolution_business_us`

// sumCounters is the select list summing every counter.
var sumCounters = func() string {
	var b strings.Builder
	for i, c := range strings.Split(counters, ",") {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "sum(%s)", strings.TrimSpace(c))
	}
	return b.String()
}()

// addCounters is the SET list adding EXCLUDED's counters to the row's.
var addCounters = func() string {
	var b strings.Builder
	for i, c := range strings.Split(counters, ",") {
		c = strings.TrimSpace(c)
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s = d.%s + EXCLUDED.%s", c, c, c)
	}
	return b.String()
}()
