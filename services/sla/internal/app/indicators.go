package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// IndicatorQuery asks for indicators of a municipality over a period.
type IndicatorQuery struct {
	Tenant, Period string
	// Codes are the indicators (empty: the whole catalogue).
	Codes   []string
	GroupBy []domain.Dimension
	// PageSize and PageToken page the rows.
	PageSize  int32
	PageToken string
}

// ListIndicators returns the catalogue to any authenticated caller.
func (a *App) ListIndicators(ctx context.Context) ([]domain.Indicator, error) {
	if _, err := access.Check(ctx, access.Anyone); err != nil {
		return nil, err
	}
	return slices.Clone(domain.Indicators), nil
}

// indicatorsOf finds the indicators codes names, the whole catalogue for
// none.
func indicatorsOf(codes []string, field string) ([]domain.Indicator, error) {
	if len(codes) == 0 {
		return domain.Indicators, nil
	}
	var out []domain.Indicator
	for _, c := range codes {
		in, ok := domain.IndicatorByCode(c)
		if !ok {
			return nil, apperr.Invalid(field, fmt.Sprintf("%q is not an indicator of the catalogue (ListIndicators)", c))
		}
		if !slices.ContainsFunc(out, func(o domain.Indicator) bool { return o.Code == c }) {
			out = append(out, in)
		}
	}
	slices.SortFunc(out, func(x, y domain.Indicator) int { return strings.Compare(x.Code, y.Code) })
	return out, nil
}

// ComputeIndicators computes indicators of a municipality over a period
// (staff of the municipality, platform admins and services of it) from
// the daily cells, grouped as asked, and pages the rows. GBV is in no
// indicator.
func (a *App) ComputeIndicators(ctx context.Context, q IndicatorQuery) ([]domain.IndicatorValue, string, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return nil, "", err
	}
	if q.Tenant, err = c.Tenant(q.Tenant, "tenant"); err != nil {
		return nil, "", err
	}
	p, err := domain.ParsePeriod(q.Period, "period")
	if err != nil {
		return nil, "", err
	}
	ins, err := indicatorsOf(q.Codes, "codes")
	if err != nil {
		return nil, "", err
	}
	dims, err := domain.GroupBy(q.GroupBy, []domain.Dimension{domain.DimWard, domain.DimTeam, domain.DimPriority, domain.DimMonth})
	if err != nil {
		return nil, "", err
	}
	page, err := domain.ParsePage(q.PageSize, q.PageToken, fmt.Sprint("indicators", q.Tenant, p.Label, ins, dims), 500, 5000)
	if err != nil {
		return nil, "", err
	}
	var vals []domain.IndicatorValue
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		vals, err = computeIndicators(ctx, tx, q.Tenant, p, ins, dims, now)
		return err
	})
	if err != nil {
		return nil, "", wrap("ComputeIndicators", err)
	}
	end := min(len(vals), page.Offset+page.Size+1)
	start := min(page.Offset, end)
	next := page.Next(end - start)
	return vals[start:min(end, start+page.Size)], next, nil
}

// GetIndicator computes one indicator over a period, ungrouped.
func (a *App) GetIndicator(ctx context.Context, tenant, code, period string) (domain.IndicatorValue, error) {
	if _, ok := domain.IndicatorByCode(code); !ok {
		if _, err := access.Check(ctx, access.Caller.RequireStaffOrService); err != nil {
			return domain.IndicatorValue{}, err
		}
		return domain.IndicatorValue{}, apperr.Invalid("code", fmt.Sprintf("%q is not an indicator of the catalogue (ListIndicators)", code))
	}
	vals, _, err := a.ComputeIndicators(ctx, IndicatorQuery{Tenant: tenant, Period: period, Codes: []string{code}})
	if err != nil {
		return domain.IndicatorValue{}, err
	}
	return vals[0], nil
}

// computeIndicators folds the period's daily sums per category (and group)
// into each indicator's numerator, denominator and pending count.
func computeIndicators(ctx context.Context, tx pgx.Tx, tenant string, p domain.Period, ins []domain.Indicator,
	dims []domain.Dimension, now time.Time) ([]domain.IndicatorValue, error) {
	var cats []string
	need24h := false
	for _, in := range ins {
		for _, cat := range in.Categories {
			if !slices.Contains(cats, cat) {
				cats = append(cats, cat)
			}
		}
		need24h = need24h || in.Standard == domain.Standard24h
	}
	q := store.ReportQuery{Tenant: tenant, Start: p.Start, End: p.End, Categories: cats,
		Dims: append([]domain.Dimension{domain.DimCategory}, dims...)}
	sums, err := store.DailySums(ctx, tx, q)
	if err != nil {
		return nil, err
	}
	unanswered := map[domain.Group]map[string]int64{}
	if need24h && now.Before(p.EndTime().Add(domain.Within24h)) {
		uq := q
		uq.Dims = dims
		if unanswered, err = store.Unanswered24h(ctx, tx, uq, now); err != nil {
			return nil, err
		}
	}
	type cell struct {
		group domain.Group
		cat   string
	}
	byCell := map[cell]domain.DailyCounts{}
	var groups []domain.Group
	for _, s := range sums {
		g := s.Group
		cat := g.Category
		g.Category = ""
		byCell[cell{g, cat}] = s.Counts
		if !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	var out []domain.IndicatorValue
	for _, in := range ins {
		for _, g := range groups {
			v := domain.IndicatorValue{Code: in.Code, Tenant: tenant, Period: p, Group: g}
			seen := false
			for _, cat := range in.Categories {
				cnt, ok := byCell[cell{g, cat}]
				seen = seen || ok
				v.Numerator += in.Numerator(cnt)
				v.Denominator += in.Denominator(cnt)
				v.Pending += in.Pending(cnt, unanswered[g][cat])
			}
			if !seen && len(dims) > 0 {
				continue // a group without this indicator's tickets
			}
			v.Settle(now)
			out = append(out, v)
		}
		if len(dims) == 0 && len(groups) == 0 {
			v := domain.IndicatorValue{Code: in.Code, Tenant: tenant, Period: p}
			v.Settle(now)
			out = append(out, v)
		}
	}
	return out, nil
}

// IndicatorTicketsQuery asks for the tickets behind an indicator.
type IndicatorTicketsQuery struct {
	Tenant, Code, Period string
	NumeratorOnly        bool
	PageSize             int32
	PageToken            string
}

// IndicatorTicket is a ticket behind an indicator, with whether it counts
// in the numerator and whether its outcome is still pending.
type IndicatorTicket struct {
	domain.ReportTicket
	InNumerator, Pending bool
}

// ListIndicatorTickets lists the tickets behind an indicator's
// denominator (or numerator) for staff of the municipality and platform
// admins only: the drill-down names tickets, which services have no need
// to read this way.
func (a *App) ListIndicatorTickets(ctx context.Context, q IndicatorTicketsQuery) ([]IndicatorTicket, string, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaff)
	if err != nil {
		return nil, "", err
	}
	if q.Tenant, err = c.Tenant(q.Tenant, "tenant"); err != nil {
		return nil, "", err
	}
	in, ok := domain.IndicatorByCode(q.Code)
	if !ok {
		return nil, "", apperr.Invalid("code", fmt.Sprintf("%q is not an indicator of the catalogue (ListIndicators)", q.Code))
	}
	p, err := domain.ParsePeriod(q.Period, "period")
	if err != nil {
		return nil, "", err
	}
	page, err := domain.ParsePage(q.PageSize, q.PageToken, fmt.Sprint("indicator-tickets", q.Tenant, in.Code, p.Label, q.NumeratorOnly), 100, 1000)
	if err != nil {
		return nil, "", err
	}
	var out []IndicatorTicket
	var next string
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		rows, err := store.IndicatorTickets(ctx, tx, store.ReportQuery{Tenant: q.Tenant, Start: p.Start, End: p.End,
			Categories: in.Categories, Limit: page.Size + 1, Skip: page.Offset}, in, q.NumeratorOnly)
		if err != nil {
			return err
		}
		next = page.Next(len(rows))
		out = out[:0]
		for _, r := range rows[:min(len(rows), page.Size)] {
			out = append(out, IndicatorTicket{ReportTicket: r, InNumerator: r.Meets(in), Pending: r.PendingFor(in, now)})
		}
		return nil
	})
	if err != nil {
		return nil, "", wrap("ListIndicatorTickets", err)
	}
	return out, next, nil
}
