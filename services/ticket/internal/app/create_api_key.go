package app

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// CreateAPIKey issues a key for a client application of a municipality the
// caller manages keys of, and returns its record and the plaintext key,
// which is not kept.
func (a *App) CreateAPIKey(ctx context.Context, tenant, clientName string) (domain.APIKey, string, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return domain.APIKey{}, "", err
	}
	if clientName, err = domain.CheckClientName(clientName); err != nil {
		return domain.APIKey{}, "", err
	}
	if tenant, err = domain.KeyTenant(c, tenant); err != nil {
		return domain.APIKey{}, "", err
	}
	keyID, key, hash, err := domain.NewAPIKeySecret()
	if err != nil {
		return domain.APIKey{}, "", fmt.Errorf("app.CreateAPIKey: %w", err)
	}
	k := domain.APIKey{ID: uuid.NewString(), Tenant: tenant, ClientName: clientName, KeyID: keyID, SecretHash: hash,
		CreatedBy: c.Subject(), CreateTime: a.timestamp()}
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error { return a.store.InsertAPIKey(ctx, tx, k) })
	if err != nil {
		return domain.APIKey{}, "", wrap("CreateAPIKey", err)
	}
	return k, key, nil
}
