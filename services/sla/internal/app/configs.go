package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

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
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		if out, err = store.InsertConfig(ctx, tx, c, now); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return apperr.AlreadyExists("an SLA configuration for this municipality and category already exists")
			}
			return err
		}
		n, err := a.recompute(ctx, tx, now, ruleChange{configID: out.ID, municipality: out.Municipality, category: out.Category})
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
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		if out, err = store.UpdateConfig(ctx, tx, c, now); err != nil {
			return err
		}
		if n, err = a.recompute(ctx, tx, now, ruleChange{configID: out.ID, municipality: out.Municipality, category: out.Category}); err != nil {
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
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		c, err := store.DeleteConfig(ctx, tx, id, now, scope.Subject)
		if err != nil {
			return notFound(err, "SLA configuration")
		}
		if n, err = a.recompute(ctx, tx, now, ruleChange{configID: c.ID, municipality: c.Municipality, category: c.Category}); err != nil {
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

// ruleChange says which open clocks a change may touch: those on a policy
// or a calendar, or of a (municipality, category) ("" for all).
type ruleChange struct {
	configID, calendarID   string
	municipality, category string
}

// recompute moves the open clocks the change may touch onto the rules in
// force from now: each is checkpointed at now with the rules it ran under
// (its own calendar version and policy), and only the rest is measured with
// the policy it now resolves to and that policy's current calendar version.
// Time already counted is never measured again. Clocks whose rules did not
// change are left alone; met clocks are history.
func (a *App) recompute(ctx context.Context, tx pgx.Tx, now time.Time, ch ruleChange) (int, error) {
	clocks, err := store.LockOpenClocks(ctx, tx, ch.configID, ch.calendarID, ch.municipality, ch.category, ch.configID != "")
	if err != nil {
		return 0, err
	}
	reason := domain.SegmentPolicyChanged
	if ch.calendarID != "" {
		reason = domain.SegmentCalendarChanged
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
		if p.Config.ID == c.ConfigID && p.Config.Version == c.ConfigVersion && p.CalendarRef() == c.Calendar() {
			continue
		}
		cals, err := clockCalendars(ctx, tx, p, c)
		if err != nil {
			return 0, err
		}
		c.Checkpoint(now, cals.Of(c.Calendar()), reason)
		if !c.Reschedule(p, cals.Of(p.CalendarRef())) {
			continue
		}
		if err := store.SaveClock(ctx, tx, c); err != nil {
			return 0, err
		}
		touched[c.TicketID] = c.Tenant
		n++
	}
	// In ticket order, so concurrent changes lock the tickets' rows alike.
	for _, ticket := range slices.Sorted(maps.Keys(touched)) {
		if err := a.mirrorDeadlines(ctx, tx, touched[ticket], ticket); err != nil {
			return 0, err
		}
	}
	return n, nil
}
