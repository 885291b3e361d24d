package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// CreateMunicipality registers a new municipality with its boundary, for
// platform admins. A code already in use is AlreadyExists.
func (a *App) CreateMunicipality(ctx context.Context, in *domain.MunicipalityInput) (domain.Municipality, error) {
	c, err := access.Check(ctx, access.Caller.RequirePlatformAdmin)
	if err != nil {
		return domain.Municipality{}, err
	}
	m, err := in.Build("municipality")
	if err != nil {
		return domain.Municipality{}, err
	}
	var out domain.Municipality
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		a.noteRepair(ctx, tx, m.Code, m.Boundary)
		if _, err := a.store.UpsertMunicipality(ctx, tx, m, false); err != nil {
			return err
		}
		out, err = a.store.GetMunicipality(ctx, tx, m.Code, true)
		return err
	})
	return out, wrap("CreateMunicipality", err)
}

// noteRepair logs that an invalid official boundary is being repaired, so
// the repair (the store stores it with ST_MakeValid) is never silent.
func (a *App) noteRepair(ctx context.Context, tx pgx.Tx, code, geoJSON string) {
	reason, err := a.store.ValidityReason(ctx, tx, geoJSON)
	if err == nil && reason != domain.ValidGeometry {
		a.log.WarnContext(ctx, "municipality boundary invalid; stored repaired with ST_MakeValid", "code", code, "reason", reason)
	}
}
