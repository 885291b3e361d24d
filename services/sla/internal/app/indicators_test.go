package app_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/sla/internal/app"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// sast is a wall-clock time in South Africa (UTC+2).
func sast(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, domain.SAST)
}

// agent is an agent of CPT.
var agent = as(auth.Claims{Subject: "agent-1", Tenant: "CPT", Roles: []string{auth.RoleAgent}})

// history is a fixed history of CPT tickets around the end of the first
// quarter of 2026/27 (30 September 2026): Heritage Day (Thursday 24
// September) on the roads calendar, a paused ticket, a reopened ticket,
// a cancelled one, one reported 30 minutes after midnight on 1 October in
// South Africa (still 30 September in UTC) and a GBV ticket, which no
// indicator counts.
func history(t *testing.T, f *fixture) {
	t.Helper()
	f.now = sast(7, 1, 8, 0)
	cal, err := f.app.CreateCalendar(admin, officeHours())
	require.NoError(t, err)
	// Roads: 16 working hours to resolve, Mon-Fri 08:00-17:00 with holidays.
	_, err = f.app.CreateSlaConfig(admin, domain.Config{Municipality: "CPT", Category: "roads",
		ResponseHours: 24, ResolutionHours: 16, WarningPct: 80, CalendarID: cal.ID, PauseStatuses: []string{"awaiting_citizen"}})
	require.NoError(t, err)

	type step struct {
		from, to string
		first    bool
		at       time.Time
	}
	ticket := func(cat string, at time.Time, steps ...step) string {
		f.now = at
		id := f.create(t, "CPT", cat, at)
		for i, s := range steps {
			f.now = s.at
			f.status(t, "CPT", id, int64(i+2), s.from, s.to, s.first, s.at)
		}
		return id
	}
	respond := func(at time.Time) step { return step{"open", "in_progress", true, at} }
	resolve := func(at time.Time) step { return step{"in_progress", "resolved", false, at} }

	// Sanitation (WS3.11): responded within 24 h, after 25 h, within 24 h
	// across midnight of the quarter's end, and one in the next quarter.
	ticket("sanitation", sast(9, 23, 10, 0), respond(sast(9, 24, 9, 0)))
	ticket("sanitation", sast(9, 29, 10, 0), respond(sast(9, 30, 11, 0)))
	ticket("sanitation", sast(9, 30, 23, 30), respond(sast(10, 1, 8, 0)))
	ticket("sanitation", sast(10, 1, 0, 30), respond(sast(10, 1, 10, 0)))
	ticket("sanitation", sast(9, 25, 9, 0), step{"open", "cancelled", false, sast(9, 25, 9, 30)})
	// Water (WS3.21): never responded to.
	ticket("water", sast(8, 10, 9, 0))
	// Roads (TR6.21), 16 working hours:
	// met only because Heritage Day does not count (deadline Fri 15:00);
	ticket("roads", sast(9, 23, 8, 0), respond(sast(9, 23, 9, 0)), resolve(sast(9, 25, 14, 0)))
	// met only because two days awaiting the citizen do not count;
	ticket("roads", sast(9, 21, 8, 0), respond(sast(9, 21, 9, 0)),
		step{"in_progress", "awaiting_citizen", false, sast(9, 21, 12, 0)},
		step{"awaiting_citizen", "in_progress", false, sast(9, 23, 12, 0)}, resolve(sast(9, 25, 10, 0)))
	// resolved on time, reopened, and resolved late the second time;
	ticket("roads", sast(9, 28, 8, 0), respond(sast(9, 28, 9, 0)), resolve(sast(9, 28, 16, 0)),
		step{"resolved", "in_progress", false, sast(9, 29, 9, 0)}, resolve(sast(10, 1, 10, 0)))
	// never resolved.
	ticket("roads", sast(9, 29, 10, 0), respond(sast(9, 29, 10, 0)))
	// Electricity (EE3.11), built-in 168 h: restored in time, and one of
	// the next quarter still open.
	ticket("electricity", sast(9, 30, 20, 0), respond(sast(9, 30, 21, 0)), resolve(sast(10, 2, 9, 0)))
	ticket("electricity", sast(10, 30, 10, 0))
	// GBV: in no indicator.
	ticket("gbv", sast(9, 15, 10, 0), step{"open", "in_progress", true, sast(9, 15, 10, 5)})

	// The sweep records the breaches due by 2 November.
	f.now = sast(11, 2, 12, 0)
	_, err = f.app.Sweep(allTenants, 10000, 100)
	require.NoError(t, err)
}

func TestIndicatorsCountAKnownHistoryExactly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	history(t, f)

	type want struct {
		num, den, pending int64
		status            string
	}
	tests := []struct {
		name, code, period string
		want               want
	}{
		{"sanitation in Q1: 23 h and 8.5 h met, 25 h missed, the cancelled one left out", "WS3.11", "2026/27-Q1", want{2, 3, 0, domain.StatusComplete}},
		{"sanitation reported 00:30 on 1 October in South Africa belongs to Q2", "WS3.11", "2026/27-Q2", want{1, 1, 0, domain.StatusLateData}},
		{"sanitation in September only", "WS3.11", "2026-09", want{2, 3, 0, domain.StatusComplete}},
		{"water never answered is 0 of 1, not missing", "WS3.21", "2026/27-Q1", want{0, 1, 0, domain.StatusComplete}},
		{"water in Q2 has no data", "WS3.21", "2026/27-Q2", want{0, 0, 0, domain.StatusNoData}},
		{"roads: the holiday and the pause kept two on time, the reopened and the open one missed", "TR6.21", "2026/27-Q1", want{2, 4, 0, domain.StatusComplete}},
		{"electricity restored within 168 h", "EE3.11", "2026/27-Q1", want{1, 1, 0, domain.StatusComplete}},
		{"electricity in Q2 is still being restored", "EE3.11", "2026/27-Q2", want{0, 1, 1, domain.StatusLateData}},
		{"complaints responded to: all but the water ticket, GBV and the cancelled one left out", "GG2.31", "2026/27-Q1", want{8, 9, 0, domain.StatusComplete}},
		{"the financial year so far", "GG2.31", "2026/27", want{9, 11, 0, domain.StatusLateData}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := f.app.GetIndicator(agent, "", tt.code, tt.period)
			require.NoError(t, err)
			require.Equal(t, tt.want, want{v.Numerator, v.Denominator, v.Pending, v.Status}, "%+v", v)
			if tt.want.den == 0 {
				require.False(t, v.HasPercentage, "no data is no percentage, never 0 %%")
			} else {
				require.True(t, v.HasPercentage)
				require.InDelta(t, float64(tt.want.num)*100/float64(tt.want.den), v.Percentage, 1e-9)
			}
		})
	}
}

func TestTheDrillDownListsTheTicketsBehindAnIndicator(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	history(t, f)
	all, next, err := f.app.ListIndicatorTickets(agent, app.IndicatorTicketsQuery{Code: "WS3.11", Period: "2026/27-Q1", PageSize: 2})
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.NotEmpty(t, next)
	rest, next, err := f.app.ListIndicatorTickets(agent, app.IndicatorTicketsQuery{Code: "WS3.11", Period: "2026/27-Q1", PageSize: 2, PageToken: next})
	require.NoError(t, err)
	require.Empty(t, next)
	all = append(all, rest...)
	var met []bool
	for _, tk := range all {
		met = append(met, tk.InNumerator)
	}
	require.Equal(t, []bool{true, false, true}, met, "in the order reported: 23 Sep, 29 Sep, 30 Sep")
	num, _, err := f.app.ListIndicatorTickets(agent, app.IndicatorTicketsQuery{Code: "WS3.11", Period: "2026/27-Q1", NumeratorOnly: true})
	require.NoError(t, err)
	require.Len(t, num, 2)

	_, _, err = f.app.ListIndicatorTickets(agent, app.IndicatorTicketsQuery{Code: "WS3.11", Period: "2026/27-Q2", PageToken: next + "x"})
	require.ErrorContains(t, err, "page_token")
	_, _, err = f.app.ListIndicatorTickets(job("CPT"), app.IndicatorTicketsQuery{Code: "WS3.11", Period: "2026/27-Q1"})
	require.ErrorContains(t, err, "requires one of the roles", "the drill-down is for staff")
	_, _, err = f.app.ListIndicatorTickets(agent, app.IndicatorTicketsQuery{Code: "XX9.99", Period: "2026/27-Q1"})
	require.ErrorContains(t, err, "code")
	_, _, err = f.app.ListIndicatorTickets(agent, app.IndicatorTicketsQuery{Code: "WS3.11", Period: "2026/28-Q1"})
	require.ErrorContains(t, err, "period")
}

// TestTheDailyCellsAlwaysEqualARecountOfTheTicketRows checks the
// incremental upkeep: after the history (status changes, a pause, a
// reopen, a cancellation, the sweep's breaches), both daily tables hold
// exactly what counting the per-ticket rows again gives.
func TestTheDailyCellsAlwaysEqualARecountOfTheTicketRows(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	history(t, f)
	recount := `SELECT count(*), count(*) FILTER (WHERE cancelled), count(respond_time) FILTER (WHERE NOT cancelled),
			count(*) FILTER (WHERE response_met AND NOT cancelled), count(*) FILTER (WHERE resolution_met AND NOT cancelled),
			count(*) FILTER (WHERE resolution_breached AND NOT cancelled), count(*) FILTER (WHERE resolution_pending AND NOT cancelled),
			count(*) FILTER (WHERE open), count(resolve_time) FILTER (WHERE NOT cancelled)
		FROM sla.report_tickets`
	sums := `SELECT sum(tickets), sum(cancelled), sum(responded), sum(response_met), sum(resolution_met), sum(resolution_breached),
			sum(resolution_pending), sum(open), sum(resolved) FROM sla.`
	scan := func(sql string) [9]int64 {
		var v [9]int64
		require.NoError(t, f.pool.QueryRow(t.Context(), sql).Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]))
		return v
	}
	want := scan(recount)
	require.Equal(t, int64(13), want[0], "every ticket of the history has its row")
	// The cells move by deltas that a fold adds to them; the reports read
	// the same figures before and after it.
	require.Equal(t, want, scan(sums+"report_deltas"), "before the fold every change waits as a delta")
	require.Equal(t, [9]int64{}, scan(`SELECT coalesce(sum(tickets), 0), 0, 0, 0, 0, 0, 0, 0, coalesce(sum(resolved), 0) FROM sla.report_daily`))
	// One read of each kind of cells: the totals (by category), the
	// month's (by ward) and the day's (by day and ward).
	reports := func() (out [][]app.ComplianceRow) {
		for _, period := range []string{"2026-09", "2026-10"} {
			for _, dims := range [][]domain.Dimension{{domain.DimCategory}, {domain.DimWard}, {domain.DimDay, domain.DimWard}} {
				rows, _, err := f.app.GetComplianceReport(agent, app.ReportQuery{Tenant: "CPT", Period: period, GroupBy: dims})
				require.NoError(t, err)
				out = append(out, rows)
			}
		}
		return out
	}
	before := reports()
	require.NotEmpty(t, before[0])
	folded, err := f.app.FoldReports(t.Context())
	require.NoError(t, err)
	require.Positive(t, folded)
	require.Zero(t, f.count(t, `SELECT count(*) FROM sla.report_deltas`), "the fold leaves no delta")
	require.Equal(t, before, reports(), "the reports read the same after the fold")
	require.Equal(t, want, scan(sums+"report_daily"))
	require.Equal(t, want, scan(sums+"report_daily_totals"))
	require.Equal(t, want, scan(sums+"report_monthly"))
	require.Equal(t, 0, f.count(t, `SELECT count(*) FROM (SELECT tenant, date_trunc('month', day), category, ward_code, team_id, priority,
			sum(tickets), sum(responded), sum(resolved), sum(open), sum(resolution_wall_us) FROM sla.report_daily GROUP BY 1, 2, 3, 4, 5, 6
		EXCEPT SELECT tenant, day, category, ward_code, team_id, priority, tickets, responded, resolved, open, resolution_wall_us
			FROM sla.report_monthly) x`), "each month's cells are its days' cells summed")
}
