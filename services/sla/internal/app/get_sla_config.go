package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// GetSlaConfig returns one policy (staff and services).
func (a *App) GetSlaConfig(ctx context.Context, id string) (domain.Config, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return domain.Config{}, err
	}
	if err := domain.CheckID(id, "id"); err != nil {
		return domain.Config{}, err
	}
	var out domain.Config
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = store.GetConfig(ctx, tx, id, store.NoLock)
		return err
	})
	if err != nil {
		return domain.Config{}, wrap("GetSlaConfig", err)
	}
	return out, nil
}
