package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// UpdateMunicipality changes the fields of a municipality its update mask
// names, for platform admins.
func (a *App) UpdateMunicipality(ctx context.Context, ch domain.MunicipalityChange) (domain.Municipality, error) {
	c, err := access.Check(ctx, access.Caller.RequirePlatformAdmin)
	if err != nil {
		return domain.Municipality{}, err
	}
	p, err := ch.Patch()
	if err != nil {
		return domain.Municipality{}, err
	}
	var out domain.Municipality
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		cur, err := a.store.GetMunicipality(ctx, tx, p.Code, false)
		if err != nil {
			return err
		}
		cur = p.Apply(cur)
		if p.Boundary != nil {
			a.noteRepair(ctx, tx, p.Code, cur.Boundary)
		}
		if err := a.store.UpdateMunicipality(ctx, tx, cur); err != nil {
			return err
		}
		out, err = a.store.GetMunicipality(ctx, tx, p.Code, true)
		return err
	})
	return out, wrap("UpdateMunicipality", err)
}
