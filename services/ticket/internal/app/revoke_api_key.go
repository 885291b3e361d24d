package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// RevokeAPIKey revokes a key of the admin's municipality (any for platform
// admins) at once; another municipality's key reads as NotFound.
func (a *App) RevokeAPIKey(ctx context.Context, id string) (domain.APIKey, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return domain.APIKey{}, err
	}
	if err := domain.CheckID(id, "id"); err != nil {
		return domain.APIKey{}, err
	}
	if err := domain.MayManageKeys(c); err != nil {
		return domain.APIKey{}, err
	}
	var k domain.APIKey
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		k, err = a.store.RevokeAPIKey(ctx, tx, id, c.OwnTenant(), c.AllTenants(), a.timestamp())
		return err
	})
	return k, wrap("RevokeAPIKey", err)
}
