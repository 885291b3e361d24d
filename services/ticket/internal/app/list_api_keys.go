package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// ListAPIKeys lists a municipality's keys, newest first, for those who
// manage them; the lists never carry secrets.
func (a *App) ListAPIKeys(ctx context.Context, tenant string) ([]domain.APIKey, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return nil, err
	}
	if tenant, err = domain.KeyTenant(c, tenant); err != nil {
		return nil, err
	}
	var ks []domain.APIKey
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		ks, err = a.store.ListAPIKeys(ctx, tx, tenant)
		return err
	})
	return ks, wrap("ListAPIKeys", err)
}
