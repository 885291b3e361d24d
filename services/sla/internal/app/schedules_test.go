package app_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/outbox"
	"github.com/salga/trustengine/services/sla/internal/server"
)

var (
	muniAdmin = as(auth.Claims{Subject: "admin-cpt", Tenant: "CPT", Roles: []string{auth.RoleMunicipalAdmin}})
	quiet     = slog.New(slog.NewTextHandler(io.Discard, nil))
)

func TestAScheduledReportIsProducedOnceWhenItsPeriodEnds(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	history(t, f)
	f.now = sast(9, 10, 9, 0)
	_, err := f.app.CreateReportSchedule(agent, domain.ReportSchedule{Kind: domain.ReportIndicators, Frequency: domain.Quarterly})
	require.ErrorContains(t, err, "requires one of the roles", "an agent may not schedule")
	_, err = f.app.CreateReportSchedule(muniAdmin, domain.ReportSchedule{Kind: domain.ReportIndicators, Frequency: domain.Quarterly,
		Recipients: []string{"Finance <cfo@example.org>"}})
	require.ErrorContains(t, err, "schedule.recipients[0]")
	q, err := f.app.CreateReportSchedule(muniAdmin, domain.ReportSchedule{Kind: domain.ReportIndicators, Frequency: domain.Quarterly,
		Recipients: []string{"cfo@example.org"}})
	require.NoError(t, err)
	require.Equal(t, sast(10, 1, 0, 0), q.NextRunAt.In(domain.SAST), "due when Q1 ends")
	m, err := f.app.CreateReportSchedule(muniAdmin, domain.ReportSchedule{Kind: domain.ReportCompliance, Frequency: domain.Monthly})
	require.NoError(t, err)

	f.now = sast(9, 30, 23, 59)
	n, err := f.app.ProduceDueReports(allTenants, server.CSV{}, quiet)
	require.NoError(t, err)
	require.Zero(t, n, "nothing before the period ends")

	// Produced late (after downtime): Q1, and September and October for
	// the monthly one, each once however often the job runs.
	f.now = sast(11, 2, 12, 0)
	for range 2 {
		n, err = f.app.ProduceDueReports(allTenants, server.CSV{}, quiet)
		require.NoError(t, err)
		if n != 0 {
			require.Equal(t, 3, n)
		}
	}
	list, err := f.app.ListReportExports(agent, "", "")
	require.NoError(t, err)
	var names []string
	for _, e := range list {
		names = append(names, e.FileName)
	}
	require.ElementsMatch(t, []string{"CPT-indicators-2026-27-Q1.csv", "CPT-compliance-2026-09.csv", "CPT-compliance-2026-10.csv"}, names)

	qs, err := f.app.ListReportExports(agent, "", q.ID)
	require.NoError(t, err)
	require.Len(t, qs, 1)
	// The file with recipients is mailed: one job for the notify service,
	// recorded with the file; the one without recipients is not.
	var mails int
	var args outbox.SendReportArgs
	var raw []byte
	require.NoError(t, f.pool.QueryRow(context.Background(), `SELECT count(*) OVER (), args FROM sla.river_job
		WHERE kind = 'sla.send_report' AND queue = 'notify'`).Scan(&mails, &raw))
	require.Equal(t, 1, mails)
	require.NoError(t, json.Unmarshal(raw, &args))
	require.Equal(t, "CPT", args.Tenant)
	require.Equal(t, qs[0].ID, args.ExportID)
	require.Equal(t, []string{"cfo@example.org"}, args.Recipients)
	require.Equal(t, "CPT-indicators-2026-27-Q1.csv", args.FileName)
	require.Equal(t, "CPT SLA indicators report 2026/27-Q1", args.Subject)
	require.Contains(t, args.Body, "/v1/sla/report-exports/"+qs[0].ID+":download")
	require.Contains(t, args.Body, "(1 Jul 2026 to 30 Sep 2026)")
	e, err := f.app.GetReportExport(agent, qs[0].ID)
	require.NoError(t, err)
	recs, err := csv.NewReader(strings.NewReader(string(e.Content))).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"code", "tenant", "period", "period_start", "period_end", "ward_code", "team_id", "priority", "month",
		"numerator", "denominator", "percentage", "status", "pending"}, recs[0])
	byCode := map[string][]string{}
	for _, r := range recs[1:] {
		byCode[r[0]] = r
	}
	require.Equal(t, []string{"2", "4", "50", "complete"}, byCode["TR6.21"][9:13], "the file holds the exact figures")
	require.Equal(t, []string{"8", "9"}, byCode["GG2.31"][9:11], "no GBV in the file")

	_, err = f.app.GetReportExport(as(auth.Claims{Subject: "a", Tenant: "JHB", Roles: []string{auth.RoleAgent}}), qs[0].ID)
	require.ErrorContains(t, err, "not found", "another municipality's file is not found")
	_, err = f.app.GetReportExport(agent, "x")
	require.ErrorContains(t, err, "id")

	require.NoError(t, f.app.DeleteReportSchedule(muniAdmin, m.ID))
	s, err := f.app.ListReportSchedules(agent, "")
	require.NoError(t, err)
	require.Len(t, s, 1)
	require.Equal(t, sast(1, 1, 0, 0).AddDate(1, 0, 0), s[0].NextRunAt.In(domain.SAST), "next due when Q2 ends")
}
