package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/sla/internal/app"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

var liaison = as(auth.Claims{Subject: "saps-1", Tenant: "CPT", Roles: []string{auth.RoleSAPSLiaison}})

// createIn feeds a created event of a ticket in ward and returns its id.
func (f *fixture) createIn(t *testing.T, category, ward string, at time.Time) string {
	t.Helper()
	id := uuid.NewString()
	_, _, err := f.app.RecordTicketEvent(job("CPT"), domain.TicketEvent{EventID: uuid.NewString(), Tenant: "CPT", TicketID: id,
		Category: category, Kind: domain.EventCreated, To: word.StatusOpen, At: at, Sequence: 1, WardCode: ward})
	require.NoError(t, err)
	return id
}

func TestReportsGroupTheKnownHistory(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	history(t, f)
	rows, next, err := f.app.GetComplianceReport(agent, app.ReportQuery{Period: "2026/27-Q1"})
	require.NoError(t, err)
	require.Empty(t, next)
	got := map[string]domain.DailyCounts{}
	for _, r := range rows {
		require.False(t, r.GBV, "an agent's report leaves GBV out")
		got[r.Group.Category] = r.Counts
	}
	require.Len(t, got, 4, "electricity, roads, sanitation, water")
	roads := got["roads"]
	require.Equal(t, []int64{4, 0, 4, 3, 2, 2}, []int64{roads.Tickets, roads.Cancelled, roads.Responded, roads.Resolved,
		roads.ResolutionMet, roads.ResolutionBreached}, "%+v", roads)
	require.Equal(t, int64(1), got["sanitation"].Cancelled)

	timing, _, err := f.app.GetTimingReport(agent, app.ReportQuery{Period: "2026/27-Q1"})
	require.NoError(t, err)
	for _, r := range timing {
		if r.Group.Category != "roads" {
			continue
		}
		// Resolved: 23 Sep 08:00 -> 25 Sep 14:00 (54 h wall, 9 + 6 = 15
		// working h), 21 Sep 08:00 -> 25 Sep 10:00 (98 h wall, 4 + 5 + 2 =
		// 11 working h: paused Monday to Wednesday, Heritage Day off) and
		// the reopened 28 Sep 08:00 -> 1 Oct 10:00 (74 h wall, 8 h of the
		// first cycle + 8 + 9 + 2 h of the second = 27 working h).
		require.Equal(t, int64(3), r.Resolved)
		require.InDelta(t, (54.0+98+74)/3, r.Resolution[0], 1e-9, "mean wall hours")
		require.InDelta(t, 74, r.Resolution[1], 1e-9, "median wall hours")
		require.InDelta(t, (11.0+15+27)/3, r.ResBiz[0], 1e-9, "mean working hours")
		require.InDelta(t, 15, r.ResBiz[1], 1e-9, "median working hours")
		require.InDelta(t, 15+0.8*12, r.ResBiz[2], 1e-9, "p90 working hours (interpolated)")
	}

	vol, _, err := f.app.GetVolumeReport(agent, app.ReportQuery{Period: "2026-10"})
	require.NoError(t, err)
	var days []string
	for _, r := range vol {
		days = append(days, r.Group.Category+" "+r.Group.Day)
	}
	require.Equal(t, []string{"electricity 2026-10-30", "sanitation 2026-10-01"}, days)

	backlog, _, err := f.app.GetBacklogReport(agent, app.ReportQuery{})
	require.NoError(t, err)
	open := map[string]int64{}
	for _, b := range backlog {
		open[b.Group.Category+" "+b.Band] += b.Open
	}
	require.Equal(t, map[string]int64{"electricity 3-7d": 1, "roads 30d+": 1, "sanitation 30d+": 4, "water 30d+": 1}, open,
		"responded to but never resolved: still open")
}

func TestGBVCountsOnlyForTheLiaisonAndSmallWardCellsAreWithheldFromEveryone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.now = sast(8, 1, 8, 0)
	for range 3 {
		f.createIn(t, "gbv", "19100001", sast(8, 1, 8, 0))
	}
	for range 5 {
		f.createIn(t, "gbv", "19100002", sast(8, 1, 8, 0))
	}
	f.createIn(t, "water", "19100001", sast(8, 1, 8, 0))
	count := func(ctx context.Context, dims ...domain.Dimension) (gbv, withheld int64, water int64) {
		rows, _, err := f.app.GetComplianceReport(ctx, app.ReportQuery{Tenant: "CPT", Period: "2026-08", GroupBy: dims})
		require.NoError(t, err)
		for _, r := range rows {
			switch {
			case r.Suppressed:
				require.Equal(t, domain.DailyCounts{}, r.Counts)
				withheld++
			case r.GBV:
				gbv += r.Counts.Tickets
			default:
				water += r.Counts.Tickets
			}
		}
		return gbv, withheld, water
	}
	gbv, withheld, water := count(agent)
	require.Equal(t, []int64{0, 0, 1}, []int64{gbv, withheld, water}, "an agent sees no GBV at all")
	gbv, withheld, water = count(liaison)
	require.Equal(t, []int64{8, 0, 1}, []int64{gbv, withheld, water}, "the liaison counts GBV by category")
	gbv, withheld, water = count(liaison, domain.DimWard)
	require.Equal(t, []int64{5, 1, 1}, []int64{gbv, withheld, water}, "the ward of 3 is withheld even from the liaison; GBV in its own row")
	gbv, withheld, _ = count(admin, domain.DimWard)
	require.Equal(t, []int64{5, 1}, []int64{gbv, withheld}, "platform admins count GBV, small cells withheld")

	pub, err := f.app.GetPublicAggregates(as(auth.Claims{Subject: "gateway", Tenant: "CPT", Kind: auth.KindGateway}), "", "2026-08", true)
	require.NoError(t, err)
	require.Len(t, pub, 1)
	require.Equal(t, "water", pub[0].Group.Category)
}

func TestBadReportRequestsAreRefusedNamingTheField(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tests := []struct {
		name, field string
		call        func() error
	}{
		{"a quarter whose years do not follow", "period", func() error {
			_, _, err := f.app.GetComplianceReport(agent, app.ReportQuery{Period: "2026/28-Q1"})
			return err
		}},
		{"a fifth quarter", "period", func() error {
			_, _, err := f.app.GetComplianceReport(agent, app.ReportQuery{Period: "2026/27-Q5"})
			return err
		}},
		{"a day grouping for the backlog", "group_by", func() error {
			_, _, err := f.app.GetBacklogReport(agent, app.ReportQuery{GroupBy: []domain.Dimension{domain.DimDay}})
			return err
		}},
		{"a day grouping for indicators", "group_by", func() error {
			_, _, err := f.app.ComputeIndicators(agent, app.IndicatorQuery{Period: "2026-07", GroupBy: []domain.Dimension{domain.DimDay}})
			return err
		}},
		{"an unknown indicator", "codes", func() error {
			_, _, err := f.app.ComputeIndicators(agent, app.IndicatorQuery{Period: "2026-07", Codes: []string{"WS9.99"}})
			return err
		}},
		{"a page of 10,000 rows", "page_size", func() error {
			_, _, err := f.app.GetTimingReport(agent, app.ReportQuery{Period: "2026-07", PageSize: 10000})
			return err
		}},
		{"a token of another query", "page_token", func() error {
			_, _, err := f.app.GetVolumeReport(agent, app.ReportQuery{Period: "2026-07", PageToken: "AAAAAAAAAAAAAAAAAAAAAA"})
			return err
		}},
		{"a ward code with spaces", "ward_code", func() error {
			_, _, err := f.app.RecordTicketEvent(job("CPT"), domain.TicketEvent{EventID: uuid.NewString(), Tenant: "CPT",
				TicketID: uuid.NewString(), Category: "water", Kind: domain.EventCreated, To: word.StatusOpen, At: sast(7, 1, 8, 0),
				WardCode: "ward 1; DROP"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.ErrorContains(t, err, tt.field)
			require.ErrorContains(t, err, "invalid")
		})
	}
	require.Zero(t, f.count(t, `SELECT count(*) FROM sla.tickets`), "a refused event changes nothing")
}
