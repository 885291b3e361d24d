package store

import (
	"context"
	"crypto/subtle"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

const apiKeyColumns = `id::text, tenant, client_name, key_id, secret_hash, created_by, create_time, revoke_time`

func scanAPIKey(row pgx.Row) (domain.APIKey, error) {
	var k domain.APIKey
	err := row.Scan(&k.ID, &k.Tenant, &k.ClientName, &k.KeyID, &k.SecretHash, &k.CreatedBy, &k.CreateTime, &k.RevokeTime)
	utc(&k.CreateTime)
	if k.RevokeTime != nil {
		utc(k.RevokeTime)
	}
	return k, err
}

// CreateAPIKey stores a new key (its hash only).
func (s *Store) CreateAPIKey(ctx context.Context, v domain.Viewer, k domain.APIKey) (domain.APIKey, error) {
	k.CreateTime = s.timestamp()
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO ticket.api_keys (id, tenant, client_name, key_id, secret_hash, created_by, create_time)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, k.ID, k.Tenant, k.ClientName, k.KeyID, k.SecretHash, k.CreatedBy, k.CreateTime)
		return err
	})
	if err != nil {
		return domain.APIKey{}, fmt.Errorf("store.CreateAPIKey: %w", err)
	}
	return k, nil
}

// ListAPIKeys returns the keys of tenant, newest first.
func (s *Store) ListAPIKeys(ctx context.Context, v domain.Viewer, tenant string) ([]domain.APIKey, error) {
	var out []domain.APIKey
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+apiKeyColumns+` FROM ticket.api_keys WHERE tenant = $1
			ORDER BY create_time DESC, id DESC`, tenant)
		if err != nil {
			return fmt.Errorf("select api_keys: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.APIKey, error) { return scanAPIKey(r) })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store.ListAPIKeys: %w", err)
	}
	return out, nil
}

// RevokeAPIKey sets the revoke time of key id unless already set, within the
// viewer's tenant (any tenant for cross-tenant viewers), and returns the key.
func (s *Store) RevokeAPIKey(ctx context.Context, v domain.Viewer, id string) (domain.APIKey, error) {
	var k domain.APIKey
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		var err error
		k, err = scanAPIKey(tx.QueryRow(ctx, `UPDATE ticket.api_keys SET revoke_time = coalesce(revoke_time, $2)
			WHERE id = $1 AND (tenant = $3 OR $4) RETURNING `+apiKeyColumns, id, s.timestamp(), v.Tenant, v.AllTenants()))
		if pg.IsNoRows(err) {
			return apperr.NotFound("api key")
		}
		return err
	})
	if err != nil {
		return domain.APIKey{}, fmt.Errorf("store.RevokeAPIKey: %w", err)
	}
	return k, nil
}

// VerifyAPIKey finds the unrevoked key keyID whose secret hashes to hash.
// Every failure reads the same (PermissionDenied), so a caller cannot tell
// an unknown key from a wrong secret or a revoked key.
func (s *Store) VerifyAPIKey(ctx context.Context, v domain.Viewer, keyID string, hash []byte) (domain.APIKey, error) {
	var k domain.APIKey
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		var err error
		k, err = scanAPIKey(tx.QueryRow(ctx, `SELECT `+apiKeyColumns+` FROM ticket.api_keys WHERE key_id = $1`, keyID))
		return err
	})
	if pg.IsNoRows(err) {
		return domain.APIKey{}, apperr.PermissionDenied("invalid api_key")
	}
	if err != nil {
		return domain.APIKey{}, fmt.Errorf("store.VerifyAPIKey: %w", err)
	}
	if subtle.ConstantTimeCompare(k.SecretHash, hash) != 1 || k.RevokeTime != nil {
		return domain.APIKey{}, apperr.PermissionDenied("invalid api_key")
	}
	return k, nil
}
