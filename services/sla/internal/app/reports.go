package app

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// ReportQuery asks for a report of a municipality over a period, grouped.
type ReportQuery struct {
	Tenant, Period string
	GroupBy        []domain.Dimension
	PageSize       int32
	PageToken      string
}

// Report rows carry their group, whether they are GBV's own row, and
// whether their figures are withheld (a ward's GBV cell under
// domain.SmallCell, for everyone).

// ComplianceRow is one group's counts.
type ComplianceRow struct {
	Group      domain.Group
	GBV        bool
	Suppressed bool
	Counts     domain.DailyCounts
}

// BacklogRow is one group's open tickets in one age band.
type BacklogRow struct {
	store.BacklogRow
	Suppressed bool
}

// TimingRow is one group's times.
type TimingRow struct {
	store.Timing
	Suppressed bool
}

// reportRun is a checked report request: who asks, for which municipality,
// period, grouping and page.
type reportRun struct {
	caller access.Caller
	query  store.ReportQuery
	period domain.Period
	page   domain.Page
}

var allDims = []domain.Dimension{domain.DimCategory, domain.DimWard, domain.DimTeam, domain.DimPriority, domain.DimMonth, domain.DimDay}

// checkReport reads the caller (staff of the municipality, platform
// admins, services of it), the tenant, the period (unless the report has
// none), the grouping and the page. GBV counts only for CanCountGBV.
func checkReport(ctx context.Context, kind string, q ReportQuery, allowed []domain.Dimension, withPeriod bool, def ...domain.Dimension) (reportRun, error) {
	var r reportRun
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return r, err
	}
	if q.Tenant, err = c.Tenant(q.Tenant, "tenant"); err != nil {
		return r, err
	}
	if withPeriod {
		if r.period, err = domain.ParsePeriod(q.Period, "period"); err != nil {
			return r, err
		}
	}
	dims, err := domain.GroupBy(q.GroupBy, allowed, def...)
	if err != nil {
		return r, err
	}
	// The fingerprint holds what decides the rows, the caller's GBV rule
	// included: a token never pages another query's rows.
	r.page, err = domain.ParsePage(q.PageSize, q.PageToken, fmt.Sprint(kind, q.Tenant, r.period.Label, dims, c.CanCountGBV()), 500, 5000)
	if err != nil {
		return r, err
	}
	r.caller = c
	r.query = store.ReportQuery{Tenant: q.Tenant, Start: r.period.Start, End: r.period.End, IncludeGBV: c.CanCountGBV(),
		Dims: dims, Limit: r.page.Size + 1, Skip: r.page.Offset}
	return r, nil
}

// GetComplianceReport returns SLA compliance per group over a period.
func (a *App) GetComplianceReport(ctx context.Context, q ReportQuery) ([]ComplianceRow, string, error) {
	r, err := checkReport(ctx, "compliance", q, allDims, true, domain.DimCategory)
	if err != nil {
		return nil, "", err
	}
	var sums []store.GroupCounts
	err = a.inTx(ctx, r.caller.Scope(), func(tx pgx.Tx) error {
		sums, err = store.DailySums(ctx, tx, r.query)
		return err
	})
	if err != nil {
		return nil, "", wrap("GetComplianceReport", err)
	}
	next := r.page.Next(len(sums))
	out := make([]ComplianceRow, 0, len(sums))
	for _, s := range sums[:min(len(sums), r.page.Size)] {
		row := ComplianceRow{Group: s.Group, GBV: s.GBV, Counts: s.Counts}
		if domain.Suppressed(s.GBV, r.query.Dims, s.Counts.Tickets) {
			row.Counts, row.Suppressed = domain.DailyCounts{}, true
		}
		out = append(out, row)
	}
	return out, next, nil
}

// GetVolumeReport returns the tickets reported per day (and group).
func (a *App) GetVolumeReport(ctx context.Context, q ReportQuery) ([]ComplianceRow, string, error) {
	if len(q.GroupBy) == 0 {
		q.GroupBy = []domain.Dimension{domain.DimCategory}
	}
	q.GroupBy = append(q.GroupBy, domain.DimDay)
	return a.GetComplianceReport(ctx, q)
}

// GetBacklogReport returns the open tickets now per group and age band.
func (a *App) GetBacklogReport(ctx context.Context, q ReportQuery) ([]BacklogRow, string, error) {
	r, err := checkReport(ctx, "backlog", q, []domain.Dimension{domain.DimCategory, domain.DimWard, domain.DimTeam, domain.DimPriority},
		false, domain.DimCategory)
	if err != nil {
		return nil, "", err
	}
	var rows []store.BacklogRow
	err = a.inTx(ctx, r.caller.Scope(), func(tx pgx.Tx) error {
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		rows, err = store.Backlog(ctx, tx, r.query, now)
		return err
	})
	if err != nil {
		return nil, "", wrap("GetBacklogReport", err)
	}
	next := r.page.Next(len(rows))
	out := make([]BacklogRow, 0, len(rows))
	for _, b := range rows[:min(len(rows), r.page.Size)] {
		row := BacklogRow{BacklogRow: b}
		if domain.Suppressed(b.GBV, r.query.Dims, b.Open) {
			row.Open, row.Overdue, row.Suppressed = 0, 0, true
		}
		out = append(out, row)
	}
	return out, next, nil
}

// GetTimingReport returns mean, median and 90th percentile times per group.
func (a *App) GetTimingReport(ctx context.Context, q ReportQuery) ([]TimingRow, string, error) {
	r, err := checkReport(ctx, "timing", q, []domain.Dimension{domain.DimCategory, domain.DimWard, domain.DimTeam,
		domain.DimPriority, domain.DimMonth}, true, domain.DimCategory)
	if err != nil {
		return nil, "", err
	}
	var rows []store.Timing
	err = a.inTx(ctx, r.caller.Scope(), func(tx pgx.Tx) error {
		rows, err = store.Timings(ctx, tx, r.query)
		return err
	})
	if err != nil {
		return nil, "", wrap("GetTimingReport", err)
	}
	next := r.page.Next(len(rows))
	out := make([]TimingRow, 0, len(rows))
	for _, t := range rows[:min(len(rows), r.page.Size)] {
		row := TimingRow{Timing: t}
		if domain.Suppressed(t.GBV, r.query.Dims, t.Tickets) {
			row.Timing = store.Timing{Group: t.Group, GBV: true}
			row.Suppressed = true
		}
		out = append(out, row)
	}
	return out, next, nil
}

// PublicRow is what the public may see of one category (and ward).
type PublicRow struct {
	Group  domain.Group
	Counts domain.DailyCounts
}

// GetPublicAggregates returns a municipality's public figures over a
// period to the gateway (or a service) of that municipality: counts per
// category (and ward), GBV never, whoever asks.
func (a *App) GetPublicAggregates(ctx context.Context, tenant, period string, byWard bool) ([]PublicRow, error) {
	c, err := access.Check(ctx, access.Caller.RequireInternal)
	if err != nil {
		return nil, err
	}
	if tenant, err = c.Tenant(tenant, "tenant"); err != nil {
		return nil, err
	}
	p, err := domain.ParsePeriod(period, "period")
	if err != nil {
		return nil, err
	}
	dims := []domain.Dimension{domain.DimCategory}
	if byWard {
		dims = append(dims, domain.DimWard)
	}
	var sums []store.GroupCounts
	// The caller's scope: the gateway's is its jurisdiction only.
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		sums, err = store.DailySums(ctx, tx, store.ReportQuery{Tenant: tenant, Start: p.Start, End: p.End, IncludeGBV: false, Dims: dims})
		return err
	})
	if err != nil {
		return nil, wrap("GetPublicAggregates", err)
	}
	out := make([]PublicRow, 0, len(sums))
	for _, s := range sums {
		if s.GBV {
			continue // never: the query already leaves GBV out
		}
		out = append(out, PublicRow{Group: s.Group, Counts: s.Counts})
	}
	return out, nil
}
