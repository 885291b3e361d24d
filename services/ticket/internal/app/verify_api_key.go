package app

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// VerifyAPIKey checks a key presented to Open311 (internal RPC, the
// gateway's) within the caller's jurisdiction: an unknown, malformed,
// wrong, revoked or other municipality's key is PermissionDenied, all
// alike.
func (a *App) VerifyAPIKey(ctx context.Context, key string) (domain.APIKey, error) {
	c, err := access.Check(ctx, access.Caller.RequireInternal)
	if err != nil {
		return domain.APIKey{}, err
	}
	keyID, hash, ok := domain.ParseAPIKey(strings.TrimSpace(key))
	if !ok {
		return domain.APIKey{}, domain.ErrInvalidAPIKey
	}
	var k domain.APIKey
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		k, err = a.store.FindAPIKey(ctx, tx, keyID)
		return err
	})
	if errors.Is(err, domain.ErrAPIKeyNotFound) {
		return domain.APIKey{}, domain.ErrInvalidAPIKey
	}
	if err != nil {
		return domain.APIKey{}, wrap("VerifyAPIKey", err)
	}
	if err := k.Verify(hash); err != nil {
		return domain.APIKey{}, err
	}
	return k, nil
}
