package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ResolveJurisdiction returns the municipality covering a point, to any
// authenticated caller: citizen apps use it to pick the tenant of a report.
func (a *App) ResolveJurisdiction(ctx context.Context, at *domain.Point) (domain.Municipality, error) {
	c, err := access.Check(ctx, access.Anyone)
	if err != nil {
		return domain.Municipality{}, err
	}
	if err := domain.CheckWorldLocation(at, "location"); err != nil {
		return domain.Municipality{}, err
	}
	var out domain.Municipality
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = a.store.ResolveJurisdiction(ctx, tx, *at)
		return err
	})
	return out, wrap("ResolveJurisdiction", err)
}
