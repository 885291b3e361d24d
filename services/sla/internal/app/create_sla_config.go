package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// CreateSlaConfig stores a new policy, its unset values taken from its
// category's built-in policy (platform admins), and moves the open clocks
// that now resolve to it.
func (a *App) CreateSlaConfig(ctx context.Context, in domain.Config) (domain.Config, error) {
	c, err := access.Check(ctx, access.Caller.RequirePlatformAdmin)
	if err != nil {
		return domain.Config{}, err
	}
	in = in.WithDefaults()
	if err := in.Validate(); err != nil {
		return domain.Config{}, err
	}
	in.UpdatedBy = c.Subject()
	var out domain.Config
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if err := checkCalendar(ctx, tx, in.CalendarID); err != nil {
			return err
		}
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		if out, err = store.InsertConfig(ctx, tx, in, now); err != nil {
			return err
		}
		n, err := a.recompute(ctx, tx, now, ruleChange{configID: out.ID, municipality: out.Municipality, category: out.Category})
		if err != nil {
			return err
		}
		return store.InsertConfigChange(ctx, tx, domain.ConfigChange{ConfigID: out.ID, Version: out.Version,
			ChangedBy: c.Subject(), Action: domain.ActionCreated, ClocksRecomputed: n})
	})
	if err != nil {
		return domain.Config{}, wrap("CreateSlaConfig", err)
	}
	return out, nil
}

// checkCalendar refuses a policy naming a calendar that does not exist.
func checkCalendar(ctx context.Context, tx pgx.Tx, id string) error {
	if id == "" {
		return nil
	}
	ok, err := store.CalendarExists(ctx, tx, id)
	if err == nil && !ok {
		return domain.ErrUnknownCalendar
	}
	return err
}
