package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ImportMunicipalities creates or updates every municipality of an import
// of official boundaries, for platform admins: every feature is checked
// before anything is written, and all are written in one transaction.
func (a *App) ImportMunicipalities(ctx context.Context, in domain.MunicipalityImport) (created, updated int, err error) {
	c, err := access.Check(ctx, access.Caller.RequirePlatformAdmin)
	if err != nil {
		return 0, 0, err
	}
	ms, err := in.Municipalities()
	if err != nil {
		return 0, 0, err
	}
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		created, updated = 0, 0
		for _, m := range ms {
			a.noteRepair(ctx, tx, m.Code, m.Boundary)
			isNew, err := a.store.UpsertMunicipality(ctx, tx, m, true)
			if err != nil {
				return err
			}
			if isNew {
				created++
			} else {
				updated++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, wrap("ImportMunicipalities", err)
	}
	return created, updated, nil
}
