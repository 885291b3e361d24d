package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// ListSlaConfigs lists the policies of a municipality ("" for every one)
// and, with defaults, the category and global defaults (staff and
// services).
func (a *App) ListSlaConfigs(ctx context.Context, municipality string, defaults bool) ([]domain.Config, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return nil, err
	}
	if err := domain.CheckMunicipalityFilter(municipality); err != nil {
		return nil, err
	}
	var out []domain.Config
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = store.ListConfigs(ctx, tx, municipality, defaults)
		return err
	})
	if err != nil {
		return nil, wrap("ListSlaConfigs", err)
	}
	return out, nil
}
