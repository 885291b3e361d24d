package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"

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

// LockReportTicket returns a ticket's report row, locked until the
// transaction ends, or nil when it has none yet.
func LockReportTicket(ctx context.Context, tx pgx.Tx, ticketID string) (*domain.ReportTicket, error) {
	r, err := scanReportTicket(tx.QueryRow(ctx, `SELECT `+reportTicketColumns+` FROM sla.report_tickets
		WHERE ticket_id = $1 FOR UPDATE`, ticketID))
	switch {
	case pg.IsNoRows(err):
		return nil, nil // a new ticket: no row yet
	case err != nil:
		return nil, wrap("store.LockReportTicket", err)
	}
	return &r, nil
}

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
	for _, d := range deltas {
		if err := applyDelta(ctx, tx, d); err != nil {
			return wrap("store.SaveReportTicket", err)
		}
	}
	return nil
}

// counters are the summed columns of report_daily and report_daily_totals.
const counters = `tickets, cancelled, responded, responded_24h, response_met, response_breached, response_pending, resolved,
	resolution_met, resolution_breached, resolution_pending, open, response_wall_us, response_business_us,
	resolution_wall_us, resolution_business_us`

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

// applyDelta adds a delta to its cell of report_daily and to the cell of
// report_daily_totals it rolls up into.
func applyDelta(ctx context.Context, tx pgx.Tx, d domain.Delta) error {
	k, c := d.Key, d.Counts
	vals := []any{c.Tickets, c.Cancelled, c.Responded, c.Responded24h, c.ResponseMet, c.ResponseBreached, c.ResponsePending,
		c.Resolved, c.ResolutionMet, c.ResolutionBreached, c.ResolutionPending, c.Open, c.ResponseWallUS, c.ResponseBusinessUS,
		c.ResolutionWallUS, c.ResolutionBusinessUS}
	if _, err := tx.Exec(ctx, `INSERT INTO sla.report_daily AS d (tenant, day, category, ward_code, team_id, priority, `+counters+`)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22)
		ON CONFLICT (tenant, day, category, ward_code, team_id, priority) DO UPDATE SET `+addCounters,
		append([]any{k.Tenant, k.Day, k.Category, k.WardCode, k.TeamID, k.Priority}, vals...)...); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO sla.report_daily_totals AS d (tenant, day, category, priority, `+counters+`)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)
		ON CONFLICT (tenant, day, category, priority) DO UPDATE SET `+addCounters,
		append([]any{k.Tenant, k.Day, k.Category, k.Priority}, vals...)...)
	return err
}
