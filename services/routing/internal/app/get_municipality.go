package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// GetMunicipality returns one municipality with its boundary, to any
// authenticated caller (the gateway's Open311 jurisdictions included).
func (a *App) GetMunicipality(ctx context.Context, code string) (domain.Municipality, error) {
	c, err := access.Check(ctx, access.Anyone)
	if err != nil {
		return domain.Municipality{}, err
	}
	if err := domain.CheckCode(code, "code"); err != nil {
		return domain.Municipality{}, err
	}
	var out domain.Municipality
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = a.store.GetMunicipality(ctx, tx, code, true)
		return err
	})
	return out, wrap("GetMunicipality", err)
}
