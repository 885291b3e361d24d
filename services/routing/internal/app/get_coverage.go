package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// GetCoverage measures how the active teams of a category cover the
// municipality, to staff and services as team reads are: the parts no
// team covers and where teams overlap, with the rule routing uses there.
// Like ListTeams it shows SAPS teams' areas to all staff (areas are not
// GBV content).
func (a *App) GetCoverage(ctx context.Context, r domain.CoverageRequest) (domain.Coverage, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return domain.Coverage{}, err
	}
	tenant, err := c.Tenant(r.Tenant, "tenant")
	if err != nil {
		return domain.Coverage{}, err
	}
	if err := r.Validate(); err != nil {
		return domain.Coverage{}, err
	}
	var out domain.Coverage
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = a.store.Coverage(ctx, tx, tenant, r.Category)
		return err
	})
	if err != nil {
		return domain.Coverage{}, wrap("GetCoverage", err)
	}
	for i := range out.Overlaps {
		out.Overlaps[i].Resolve(r.Category)
	}
	return out, nil
}
