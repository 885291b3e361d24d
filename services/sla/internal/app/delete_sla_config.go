package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// DeleteSlaConfig removes a policy (platform admins); its history gets a
// last version that records the deletion, and its open clocks fall back
// along the lookup order and are recomputed. It returns how many moved.
func (a *App) DeleteSlaConfig(ctx context.Context, id string) (int, error) {
	c, err := access.Check(ctx, access.Caller.RequirePlatformAdmin)
	if err != nil {
		return 0, err
	}
	if err := domain.CheckID(id, "id"); err != nil {
		return 0, err
	}
	var n int
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		cfg, err := store.DeleteConfig(ctx, tx, id, now, c.Subject())
		if err != nil {
			return err
		}
		if n, err = a.recompute(ctx, tx, now, ruleChange{configID: cfg.ID, municipality: cfg.Municipality, category: cfg.Category}); err != nil {
			return err
		}
		return store.InsertConfigChange(ctx, tx, domain.ConfigChange{ConfigID: cfg.ID, Version: cfg.Version + 1,
			ChangedBy: c.Subject(), Action: domain.ActionDeleted, ClocksRecomputed: n})
	})
	if err != nil {
		return 0, wrap("DeleteSlaConfig", err)
	}
	return n, nil
}
