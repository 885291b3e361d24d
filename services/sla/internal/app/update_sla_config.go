package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// UpdateSlaConfig applies u as the policy's next version, in force from
// now (platform admins), and recomputes the open clocks that used it or
// now resolve to it. It returns the new version and how many clocks moved.
func (a *App) UpdateSlaConfig(ctx context.Context, u domain.ConfigUpdate) (domain.Config, int, error) {
	c, err := access.Check(ctx, access.Caller.RequirePlatformAdmin)
	if err != nil {
		return domain.Config{}, 0, err
	}
	if err := u.Resolve(); err != nil {
		return domain.Config{}, 0, err
	}
	var out domain.Config
	var n int
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		cfg, err := store.GetConfig(ctx, tx, u.ID, store.ForUpdate)
		if err != nil {
			return err
		}
		if err := u.Apply(&cfg); err != nil {
			return err
		}
		if err := checkCalendar(ctx, tx, cfg.CalendarID); err != nil {
			return err
		}
		cfg.UpdatedBy = c.Subject()
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		if out, err = store.UpdateConfig(ctx, tx, cfg, now); err != nil {
			return err
		}
		if n, err = a.recompute(ctx, tx, now, ruleChange{configID: out.ID, municipality: out.Municipality, category: out.Category}); err != nil {
			return err
		}
		return store.InsertConfigChange(ctx, tx, domain.ConfigChange{ConfigID: out.ID, Version: out.Version,
			ChangedBy: c.Subject(), Action: domain.ActionUpdated, ClocksRecomputed: n})
	})
	if err != nil {
		return domain.Config{}, 0, wrap("UpdateSlaConfig", err)
	}
	return out, n, nil
}
