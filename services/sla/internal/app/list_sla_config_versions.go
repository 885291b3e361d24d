package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// ListSlaConfigVersions lists a policy's versions, newest first (staff and
// services); NotFound when it never existed.
func (a *App) ListSlaConfigVersions(ctx context.Context, id string) ([]domain.ConfigVersion, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return nil, err
	}
	if err := domain.CheckID(id, "config_id"); err != nil {
		return nil, err
	}
	var out []domain.ConfigVersion
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if out, err = store.ListConfigVersions(ctx, tx, id); err == nil && len(out) == 0 {
			return domain.ErrConfigNotFound
		}
		return err
	})
	if err != nil {
		return nil, wrap("ListSlaConfigVersions", err)
	}
	return out, nil
}
