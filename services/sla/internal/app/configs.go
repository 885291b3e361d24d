package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// CreateConfig stores a new policy and moves open clocks that now resolve to it.
func (a *App) CreateConfig(ctx context.Context, scope pg.Scope, c domain.Config) (domain.Config, error) {
	var out domain.Config
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		if err := checkCalendar(ctx, tx, c.CalendarID); err != nil {
			return err
		}
		c.UpdatedBy = scope.Subject
		var err error
		if out, err = store.InsertConfig(ctx, tx, c); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return apperr.AlreadyExists("an SLA configuration for this municipality and category already exists")
			}
			return err
		}
		n, err := a.recompute(ctx, tx, out.ID, "", out.Municipality, out.Category)
		if err != nil {
			return err
		}
		return store.InsertConfigChange(ctx, tx, store.ConfigChange{ConfigID: out.ID, Version: out.Version,
			ChangedBy: scope.Subject, Action: "created", ClocksRecomputed: n})
	})
	if err != nil {
		return domain.Config{}, fmt.Errorf("app.CreateConfig: %w", err)
	}
	return out, nil
}

// UpdateConfig applies change to the stored policy and recomputes the open
// clocks that used it or now resolve to it.
func (a *App) UpdateConfig(ctx context.Context, scope pg.Scope, id string, change func(*domain.Config) error) (domain.Config, int, error) {
	var out domain.Config
	var n int
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		c, err := store.GetConfig(ctx, tx, id, true)
		if err != nil {
			return notFound(err, "SLA configuration")
		}
		if err := change(&c); err != nil {
			return err
		}
		if err := checkCalendar(ctx, tx, c.CalendarID); err != nil {
			return err
		}
		c.UpdatedBy = scope.Subject
		if out, err = store.UpdateConfig(ctx, tx, c); err != nil {
			return err
		}
		if n, err = a.recompute(ctx, tx, out.ID, "", out.Municipality, out.Category); err != nil {
			return err
		}
		return store.InsertConfigChange(ctx, tx, store.ConfigChange{ConfigID: out.ID, Version: out.Version,
			ChangedBy: scope.Subject, Action: "updated", ClocksRecomputed: n})
	})
	if err != nil {
		return domain.Config{}, 0, fmt.Errorf("app.UpdateConfig: %w", err)
	}
	return out, n, nil
}

// DeleteConfig removes a policy; its open clocks fall back along the lookup
// order and are recomputed.
func (a *App) DeleteConfig(ctx context.Context, scope pg.Scope, id string) (int, error) {
	var n int
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		c, err := store.DeleteConfig(ctx, tx, id)
		if err != nil {
			return notFound(err, "SLA configuration")
		}
		if n, err = a.recompute(ctx, tx, c.ID, "", c.Municipality, c.Category); err != nil {
			return err
		}
		return store.InsertConfigChange(ctx, tx, store.ConfigChange{ConfigID: c.ID, Version: c.Version + 1,
			ChangedBy: scope.Subject, Action: "deleted", ClocksRecomputed: n})
	})
	if err != nil {
		return 0, fmt.Errorf("app.DeleteConfig: %w", err)
	}
	return n, nil
}

func checkCalendar(ctx context.Context, tx pgx.Tx, id string) error {
	if id == "" {
		return nil
	}
	if _, err := store.GetCalendar(ctx, tx, id, false); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return apperr.Invalid("config.calendar_id", "must name an existing calendar")
		}
		return err
	}
	return nil
}

// recompute re-resolves the policy of every open clock the change may touch
// and moves those whose policy or calendar changed onto it, from their
// elapsed working time. Met and breached clocks are left alone.
func (a *App) recompute(ctx context.Context, tx pgx.Tx, configID, calendarID, municipality, category string) (int, error) {
	clocks, err := store.LockOpenClocks(ctx, tx, configID, calendarID, municipality, category, configID != "")
	if err != nil {
		return 0, err
	}
	now, err := a.now(ctx, tx)
	if err != nil {
		return 0, err
	}
	policies := map[[2]string]domain.Policy{}
	touched := map[string]string{} // ticket -> tenant
	n := 0
	for _, c := range clocks {
		key := [2]string{c.Tenant, c.Category}
		p, ok := policies[key]
		if !ok {
			if p, err = resolvePolicy(ctx, tx, c.Tenant, c.Category); err != nil {
				return 0, err
			}
			policies[key] = p
		}
		if p.Config.ID == c.ConfigID && p.Config.Version == c.ConfigVersion && p.CalendarID() == c.CalendarID && calendarID == "" {
			continue
		}
		cals, err := loadCalendars(ctx, tx, c.CalendarID, p.CalendarID())
		if err != nil {
			return 0, err
		}
		// Working time so far is measured on the old calendar, the rest on the new.
		if c.State == domain.StateRunning {
			c.Elapsed, c.ResumedAt = c.ElapsedAt(now, cals.Of(c.CalendarID)), now
		}
		if !c.Recompute(now, p, cals.Of(p.CalendarID())) {
			continue
		}
		if err := store.SaveClock(ctx, tx, c); err != nil {
			return 0, err
		}
		touched[c.TicketID] = c.Tenant
		n++
	}
	for ticket, tenant := range touched {
		if err := a.mirrorDeadlines(ctx, tx, tenant, ticket); err != nil {
			return 0, err
		}
	}
	return n, nil
}
