package store

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

// dimSQL is each dimension's expression over report_daily and
// report_tickets (both have the columns and day).
var dimSQL = map[domain.Dimension]string{
	domain.DimCategory: "category",
	domain.DimWard:     "ward_code",
	domain.DimTeam:     "team_id",
	domain.DimPriority: "priority",
	domain.DimMonth:    "to_char(day, 'YYYY-MM')",
	domain.DimDay:      "to_char(day, 'YYYY-MM-DD')",
}

// ReportQuery selects a municipality's tickets reported in [Start, End)
// (days), of Categories (nil: every one), and groups them by Dims. GBV
// tickets count only with IncludeGBV, and then always in rows of their own
// (GroupCounts.GBV), never merged into another category's.
type ReportQuery struct {
	Tenant      string
	Start, End  time.Time
	Categories  []string
	IncludeGBV  bool
	Dims        []domain.Dimension
	Limit, Skip int
}

// GroupCounts is one group's sums.
type GroupCounts struct {
	Group  domain.Group
	GBV    bool
	Counts domain.DailyCounts
}

// selectDims is the select list, the group-by list and the order of q's
// dimensions, the GBV marker last.
func (q ReportQuery) selectDims() string {
	cols := make([]string, 0, len(q.Dims)+1)
	for _, d := range q.Dims {
		cols = append(cols, dimSQL[d])
	}
	return strings.Join(append(cols, "category = 'gbv'"), ", ")
}

// where is the filter shared by the daily and the per-ticket reads.
func (q ReportQuery) where() string {
	return `tenant = $1 AND day >= $2 AND day < $3 AND ($4::text[] IS NULL OR category = ANY($4)) AND ($5 OR category <> 'gbv')`
}

func (q ReportQuery) args() []any {
	var cats []string
	if q.Categories != nil {
		cats = q.Categories
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 1 << 30
	}
	return []any{q.Tenant, q.Start, q.End, cats, q.IncludeGBV, limit, q.Skip}
}

// scanGroup reads the dimension columns and the GBV marker into g.
func scanGroup(q ReportQuery, vals []any) (domain.Group, bool) {
	var g domain.Group
	for i, d := range q.Dims {
		g.Set(d, vals[i].(string))
	}
	return g, vals[len(q.Dims)].(bool)
}

func dimDest(q ReportQuery) []any {
	dest := make([]any, 0, len(q.Dims)+1)
	for range q.Dims {
		dest = append(dest, new(string))
	}
	return append(dest, new(bool))
}

func derefAll(ps []any) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		switch v := p.(type) {
		case *string:
			out[i] = *v
		case *bool:
			out[i] = *v
		}
	}
	return out
}

// cells is what q reads: the table of cells it needs with the deltas not
// yet folded into it (store.FoldReportDeltas), as the table's rows. The
// table is the totals without ward and team when q groups by neither;
// else the month's cells when q covers whole months (every period a report
// names does) and does not group by day, a few thousand rows a year where
// report_daily holds nearly a cell per ticket; else the day's cells.
func (q ReportQuery) cells() string {
	wardOrTeam, byDay := false, false
	for _, d := range q.Dims {
		wardOrTeam = wardOrTeam || d == domain.DimWard || d == domain.DimTeam
		byDay = byDay || d == domain.DimDay
	}
	table, keys, deltaKeys := "report_daily", "tenant, day, category, ward_code, team_id, priority",
		"tenant, day, category, ward_code, team_id, priority"
	switch {
	case !wardOrTeam:
		table, keys, deltaKeys = "report_daily_totals", "tenant, day, category, priority", "tenant, day, category, priority"
	case !byDay && q.Start.Equal(domain.MonthOf(q.Start).Start) && q.End.Equal(domain.MonthOf(q.End).Start):
		table, deltaKeys = "report_monthly", "tenant, date_trunc('month', day)::date, category, ward_code, team_id, priority"
	}
	return `(SELECT ` + keys + `, ` + counters + ` FROM sla.` + table + `
		UNION ALL SELECT ` + deltaKeys + `, ` + counters + ` FROM sla.report_deltas) cells`
}

// DailySums sums the daily cells of q per group: a read of the cells of
// the period, never of the tickets.
func DailySums(ctx context.Context, tx pgx.Tx, q ReportQuery) ([]GroupCounts, error) {
	dims := q.selectDims()
	rows, err := tx.Query(ctx, `SELECT `+dims+`, sum(tickets), sum(cancelled), sum(responded), sum(responded_24h),
			sum(response_met), sum(response_breached), sum(response_pending), sum(resolved), sum(resolution_met),
			sum(resolution_breached), sum(resolution_pending), sum(open), sum(response_wall_us), sum(response_business_us),
			sum(resolution_wall_us), sum(resolution_business_us)
		FROM `+q.cells()+` WHERE `+q.where()+`
		GROUP BY `+dims+` HAVING sum(tickets) > 0 ORDER BY `+dims+` LIMIT $6 OFFSET $7`, q.args()...)
	if err != nil {
		return nil, wrap("store.DailySums", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (GroupCounts, error) {
		var gc GroupCounts
		c := &gc.Counts
		dest := append(dimDest(q), &c.Tickets, &c.Cancelled, &c.Responded, &c.Responded24h, &c.ResponseMet,
			&c.ResponseBreached, &c.ResponsePending, &c.Resolved, &c.ResolutionMet, &c.ResolutionBreached,
			&c.ResolutionPending, &c.Open, &c.ResponseWallUS, &c.ResponseBusinessUS, &c.ResolutionWallUS,
			&c.ResolutionBusinessUS)
		if err := r.Scan(dest...); err != nil {
			return gc, err
		}
		gc.Group, gc.GBV = scanGroup(q, derefAll(dest[:len(q.Dims)+1]))
		return gc, nil
	})
	return out, wrap("store.DailySums", err)
}

// Unanswered24h counts, per group, the tickets of q not cancelled, not
// responded to and reported less than 24 hours before now: the pending
// tickets of the 24-hour indicators. Only the last two days can hold any,
// so the read is of those days' tickets only.
func Unanswered24h(ctx context.Context, tx pgx.Tx, q ReportQuery, now time.Time) (map[domain.Group]map[string]int64, error) {
	from := domain.DayOf(now.Add(-domain.Within24h))
	if !q.Start.Before(from) {
		from = q.Start
	}
	q.Start = from
	dims := q.selectDims()
	rows, err := tx.Query(ctx, `SELECT `+dims+`, category, count(*) FROM sla.report_tickets
		WHERE `+q.where()+` AND NOT cancelled AND respond_time IS NULL AND create_time > $6
		GROUP BY `+dims+`, category`, q.Tenant, q.Start, q.End, q.args()[3], q.IncludeGBV, now.Add(-domain.Within24h))
	if err != nil {
		return nil, wrap("store.Unanswered24h", err)
	}
	defer rows.Close()
	out := map[domain.Group]map[string]int64{}
	for rows.Next() {
		var cat string
		var n int64
		dest := append(dimDest(q), &cat, &n)
		if err := rows.Scan(dest...); err != nil {
			return nil, wrap("store.Unanswered24h", err)
		}
		g, _ := scanGroup(q, derefAll(dest[:len(q.Dims)+1]))
		if out[g] == nil {
			out[g] = map[string]int64{}
		}
		out[g][cat] += n
	}
	return out, wrap("store.Unanswered24h", rows.Err())
}

// IndicatorTickets lists the report rows of q's tickets (not cancelled)
// in the order they were reported; with numerator set, only those that
// met the indicator's standard.
func IndicatorTickets(ctx context.Context, tx pgx.Tx, q ReportQuery, in domain.Indicator, numeratorOnly bool) ([]domain.ReportTicket, error) {
	met := "true"
	if numeratorOnly {
		met = numeratorSQL(in)
	}
	rows, err := tx.Query(ctx, `SELECT `+reportTicketColumns+` FROM sla.report_tickets
		WHERE `+q.where()+` AND NOT cancelled AND `+met+`
		ORDER BY day, create_time, ticket_id LIMIT $6 OFFSET $7`, q.args()...)
	if err != nil {
		return nil, wrap("store.IndicatorTickets", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ReportTicket, error) { return scanReportTicket(r) })
	return out, wrap("store.IndicatorTickets", err)
}

// numeratorSQL is the indicator's numerator as a condition on a report row
// (ReportTicket.Meets in SQL).
func numeratorSQL(in domain.Indicator) string {
	switch in.Standard {
	case domain.Standard24h:
		return "(respond_time IS NOT NULL AND respond_time - create_time <= interval '24 hours')"
	case domain.StandardResponded:
		return "respond_time IS NOT NULL"
	}
	return "resolution_met"
}

// BacklogRow is one group's open tickets in one age band.
type BacklogRow struct {
	Band          string
	Group         domain.Group
	GBV           bool
	Open, Overdue int64
}

// Backlog counts a municipality's open tickets per group and age band
// (days since reported, at now) through the partial index of open rows:
// its cost follows the backlog, not the history.
func Backlog(ctx context.Context, tx pgx.Tx, q ReportQuery, now time.Time) ([]BacklogRow, error) {
	dims := q.selectDims()
	band := `CASE WHEN create_time > $2::timestamptz - interval '1 day' THEN '0-1d'
		WHEN create_time > $2::timestamptz - interval '3 days' THEN '1-3d'
		WHEN create_time > $2::timestamptz - interval '7 days' THEN '3-7d'
		WHEN create_time > $2::timestamptz - interval '30 days' THEN '7-30d' ELSE '30d+' END`
	rows, err := tx.Query(ctx, `SELECT `+band+` AS band, `+dims+`, count(*), count(*) FILTER (WHERE resolution_breached)
		FROM sla.report_tickets WHERE tenant = $1 AND open AND ($3 OR category <> 'gbv')
		GROUP BY band, `+dims+` ORDER BY `+dims+`, min(create_time) DESC LIMIT $4 OFFSET $5`,
		q.Tenant, now.UTC(), q.IncludeGBV, q.args()[5], q.Skip)
	if err != nil {
		return nil, wrap("store.Backlog", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (BacklogRow, error) {
		var b BacklogRow
		dest := append([]any{&b.Band}, dimDest(q)...)
		dest = append(dest, &b.Open, &b.Overdue)
		if err := r.Scan(dest...); err != nil {
			return b, err
		}
		b.Group, b.GBV = scanGroup(q, derefAll(dest[1:len(q.Dims)+2]))
		return b, nil
	})
	return out, wrap("store.Backlog", err)
}

// Timing is one group's times in hours: count, mean, median and 90th
// percentile, wall clock and business, to response and to resolution.
type Timing struct {
	Group                 domain.Group
	GBV                   bool
	Tickets               int64
	Responded, Resolved   int64
	Response, ResponseBiz [3]float64
	Resolution, ResBiz    [3]float64
}

// Timings reads the times of q's tickets (not cancelled) per group: a read
// of the period's report rows through (tenant, day), since medians and
// percentiles need the values themselves.
func Timings(ctx context.Context, tx pgx.Tx, q ReportQuery) ([]Timing, error) {
	dims := q.selectDims()
	stat := func(v string) string {
		return `COALESCE(avg(` + v + `), 0), COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY ` + v + `), 0),
			COALESCE(percentile_cont(0.9) WITHIN GROUP (ORDER BY ` + v + `), 0)`
	}
	respWall := "extract(epoch FROM respond_time - create_time) / 3600"
	respBiz := "CASE WHEN respond_time IS NOT NULL THEN response_business_us / 3.6e9 END"
	resWall := "extract(epoch FROM resolve_time - create_time) / 3600"
	resBiz := "CASE WHEN resolve_time IS NOT NULL THEN resolution_business_us / 3.6e9 END"
	rows, err := tx.Query(ctx, `SELECT `+dims+`, count(*), count(respond_time), count(resolve_time), `+stat(respWall)+`, `+stat(respBiz)+`,
			`+stat(resWall)+`, `+stat(resBiz)+`
		FROM sla.report_tickets WHERE `+q.where()+` AND NOT cancelled
		GROUP BY `+dims+` ORDER BY `+dims+` LIMIT $6 OFFSET $7`, q.args()...)
	if err != nil {
		return nil, wrap("store.Timings", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Timing, error) {
		var t Timing
		dest := append(dimDest(q), &t.Tickets, &t.Responded, &t.Resolved)
		for _, a := range []*[3]float64{&t.Response, &t.ResponseBiz, &t.Resolution, &t.ResBiz} {
			dest = append(dest, &a[0], &a[1], &a[2])
		}
		if err := r.Scan(dest...); err != nil {
			return t, err
		}
		t.Group, t.GBV = scanGroup(q, derefAll(dest[:len(q.Dims)+1]))
		return t, nil
	})
	return out, wrap("store.Timings", err)
}
