package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// GetConfig returns one policy.
func (a *App) GetConfig(ctx context.Context, scope pg.Scope, id string) (domain.Config, error) {
	var out domain.Config
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		var err error
		out, err = store.GetConfig(ctx, tx, id, false)
		return notFound(err, "SLA configuration")
	})
	if err != nil {
		return out, fmt.Errorf("app.GetConfig: %w", err)
	}
	return out, nil
}

// ListConfigs lists policies of a municipality ("" for all).
func (a *App) ListConfigs(ctx context.Context, scope pg.Scope, municipality string, defaults bool) ([]domain.Config, error) {
	var out []domain.Config
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		var err error
		out, err = store.ListConfigs(ctx, tx, municipality, defaults)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app.ListConfigs: %w", err)
	}
	return out, nil
}

// ListConfigChanges lists recorded changes, newest first.
func (a *App) ListConfigChanges(ctx context.Context, scope pg.Scope, configID string) ([]store.ConfigChange, error) {
	var out []store.ConfigChange
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		var err error
		out, err = store.ListConfigChanges(ctx, tx, configID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app.ListConfigChanges: %w", err)
	}
	return out, nil
}

// ResolvePolicy returns the policy the lookup order picks.
func (a *App) ResolvePolicy(ctx context.Context, scope pg.Scope, municipality, category string) (domain.Policy, error) {
	var out domain.Policy
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		var err error
		out, err = resolvePolicy(ctx, tx, municipality, category)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("app.ResolvePolicy: %w", err)
	}
	return out, nil
}

// TicketClocks returns a ticket's clocks and events. GBV clocks read as not
// found for roles that may not see GBV tickets, so they cannot be probed.
func (a *App) TicketClocks(ctx context.Context, scope pg.Scope, ticketID string) ([]domain.Clock, []domain.ClockEvent, error) {
	var clocks []domain.Clock
	var evs []domain.ClockEvent
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		var err error
		if clocks, err = store.TicketClocks(ctx, tx, ticketID); err != nil {
			return err
		}
		if len(clocks) == 0 || (clocks[0].Category == domain.CategoryGBV && !CanSeeGBV(scope)) {
			return apperr.NotFound("ticket clocks")
		}
		evs, err = store.TicketEvents(ctx, tx, ticketID)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("app.TicketClocks: %w", err)
	}
	return clocks, evs, nil
}

// AtRisk lists a tenant's warned (and optionally breached) clocks.
func (a *App) AtRisk(ctx context.Context, scope pg.Scope, f store.AtRiskFilter) ([]domain.Clock, time.Time, error) {
	var out []domain.Clock
	var now time.Time
	f.IncludeGBV = CanSeeGBV(scope)
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		var err error
		if now, err = a.now(ctx, tx); err != nil {
			return err
		}
		out, err = store.AtRiskClocks(ctx, tx, f)
		return err
	})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("app.AtRisk: %w", err)
	}
	return out, now, nil
}

// ComplianceRow is one category's figures.
type ComplianceRow struct {
	Category             string
	MetOnTime, MetLate   int
	OpenOverdue, OnTrack int
	OnTimeRatio          float64
	ResponseOnTimeRatio  float64
}

// ratio is on-time / (on-time + late + open overdue), 1 with nothing to count.
func ratio(c store.ComplianceCounts) float64 {
	d := c.MetOnTime + c.MetLate + c.OpenOverdue
	if d == 0 {
		return 1
	}
	return float64(c.MetOnTime) / float64(d)
}

// Compliance returns per-category figures of a tenant over [start, end).
func (a *App) Compliance(ctx context.Context, scope pg.Scope, tenant string, start, end time.Time) ([]ComplianceRow, error) {
	var counts []store.ComplianceCounts
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		counts, err = store.Compliance(ctx, tx, tenant, start, end, now, CanSeeGBV(scope))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app.Compliance: %w", err)
	}
	var rows []ComplianceRow
	byCat := map[string]int{}
	for _, c := range counts {
		i, ok := byCat[c.Category]
		if !ok {
			i = len(rows)
			byCat[c.Category] = i
			rows = append(rows, ComplianceRow{Category: c.Category, OnTimeRatio: 1, ResponseOnTimeRatio: 1})
		}
		if c.Kind == domain.ClockResponse {
			rows[i].ResponseOnTimeRatio = ratio(c)
			continue
		}
		rows[i].MetOnTime, rows[i].MetLate, rows[i].OpenOverdue, rows[i].OnTrack = c.MetOnTime, c.MetLate, c.OpenOverdue, c.OpenOnTrack
		rows[i].OnTimeRatio = ratio(c)
	}
	return rows, nil
}

// ClockExplanation is a clock with the segments its elapsed time is made of,
// oldest first; the running segment, measured up to the explanation's time,
// is last.
type ClockExplanation struct {
	Clock    domain.Clock
	Segments []domain.Segment
}

// ExplainClocks returns a ticket's clocks with their segments and the time
// the running segments were measured up to. GBV clocks read as not found
// for roles that may not see GBV tickets, as in TicketClocks.
func (a *App) ExplainClocks(ctx context.Context, scope pg.Scope, ticketID string) ([]ClockExplanation, time.Time, error) {
	var out []ClockExplanation
	var now time.Time
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		clocks, err := store.TicketClocks(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		if len(clocks) == 0 || (clocks[0].Category == domain.CategoryGBV && !CanSeeGBV(scope)) {
			return apperr.NotFound("ticket clocks")
		}
		if now, err = a.now(ctx, tx); err != nil {
			return err
		}
		segs, err := store.TicketSegments(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		refs := make([]domain.CalendarRef, 0, len(clocks))
		for _, c := range clocks {
			refs = append(refs, c.Calendar())
		}
		cals, err := loadCalendars(ctx, tx, refs...)
		if err != nil {
			return err
		}
		for _, c := range clocks {
			e := ClockExplanation{Clock: c}
			for _, sg := range segs {
				if sg.ClockKind == c.Kind && sg.Cycle == c.Cycle {
					e.Segments = append(e.Segments, sg.Segment)
				}
			}
			if open, ok := c.OpenSegment(now, cals.Of(c.Calendar())); ok {
				e.Segments = append(e.Segments, open)
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("app.ExplainClocks: %w", err)
	}
	return out, now, nil
}

// ListConfigVersions lists a policy's versions, newest first; NotFound when
// it never existed.
func (a *App) ListConfigVersions(ctx context.Context, scope pg.Scope, id string) ([]domain.ConfigVersion, error) {
	var out []domain.ConfigVersion
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		var err error
		if out, err = store.ListConfigVersions(ctx, tx, id); err == nil && len(out) == 0 {
			return apperr.NotFound("SLA configuration")
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app.ListConfigVersions: %w", err)
	}
	return out, nil
}

// ClockEvents returns up to limit clock events of every tenant after cursor,
// in feed order (see store.ClockEventsAfter), and the cursor to poll with
// next. A malformed cursor is InvalidArgument.
func (a *App) ClockEvents(ctx context.Context, scope pg.Scope, cursor string, limit int) ([]domain.ClockEvent, string, error) {
	var out []domain.ClockEvent
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		var err error
		out, err = store.ClockEventsAfter(ctx, tx, cursor, limit)
		if errors.Is(err, store.ErrBadCursor) {
			return apperr.Invalid("after", "must be a next_cursor this service returned")
		}
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("app.ClockEvents: %w", err)
	}
	next := cursor
	if len(out) > 0 {
		next = out[len(out)-1].Cursor
	}
	return out, next, nil
}
