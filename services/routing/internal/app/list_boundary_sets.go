package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ListBoundarySets returns a municipality's ward boundary versions, oldest
// first, to its staff and services (their reports name its teams).
func (a *App) ListBoundarySets(ctx context.Context, l domain.BoundarySetList) ([]domain.BoundarySet, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return nil, err
	}
	tenant, err := c.Tenant(l.Tenant, "tenant")
	if err != nil {
		return nil, err
	}
	var out []domain.BoundarySet
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if _, err := a.store.GetMunicipality(ctx, tx, tenant, false); err != nil {
			return err
		}
		out, err = a.store.ListBoundarySets(ctx, tx, tenant)
		return err
	})
	return out, wrap("ListBoundarySets", err)
}
