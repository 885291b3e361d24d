package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

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

// InsertAPIKey stores a new key (its hash only).
func (s *Store) InsertAPIKey(ctx context.Context, tx pgx.Tx, k domain.APIKey) error {
	if _, err := tx.Exec(ctx, `INSERT INTO ticket.api_keys (id, tenant, client_name, key_id, secret_hash, created_by, create_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, k.ID, k.Tenant, k.ClientName, k.KeyID, k.SecretHash, k.CreatedBy, k.CreateTime); err != nil {
		return fmt.Errorf("store.InsertAPIKey: %w", err)
	}
	return nil
}

// ListAPIKeys returns the keys of tenant, newest first.
func (s *Store) ListAPIKeys(ctx context.Context, tx pgx.Tx, tenant string) ([]domain.APIKey, error) {
	rows, err := tx.Query(ctx, `SELECT `+apiKeyColumns+` FROM ticket.api_keys WHERE tenant = $1
		ORDER BY create_time DESC, id DESC`, tenant)
	if err != nil {
		return nil, fmt.Errorf("store.ListAPIKeys: %w", err)
	}
	ks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.APIKey, error) { return scanAPIKey(r) })
	if err != nil {
		return nil, fmt.Errorf("store.ListAPIKeys: %w", err)
	}
	return ks, nil
}

// RevokeAPIKey sets the revoke time of key id unless already set and
// returns the key; a key outside tenant (unless allTenants) is
// domain.ErrAPIKeyNotFound.
func (s *Store) RevokeAPIKey(ctx context.Context, tx pgx.Tx, id, tenant string, allTenants bool, at time.Time) (domain.APIKey, error) {
	k, err := scanAPIKey(tx.QueryRow(ctx, `UPDATE ticket.api_keys SET revoke_time = coalesce(revoke_time, $2)
		WHERE id = $1 AND (tenant = $3 OR $4) RETURNING `+apiKeyColumns, id, at, tenant, allTenants))
	if pg.IsNoRows(err) {
		return domain.APIKey{}, domain.ErrAPIKeyNotFound
	}
	if err != nil {
		return domain.APIKey{}, fmt.Errorf("store.RevokeAPIKey: %w", err)
	}
	return k, nil
}

// FindAPIKey returns the key with key id keyID, revoked or not;
// domain.ErrAPIKeyNotFound when there is none in the caller's scope.
func (s *Store) FindAPIKey(ctx context.Context, tx pgx.Tx, keyID string) (domain.APIKey, error) {
	k, err := scanAPIKey(tx.QueryRow(ctx, `SELECT `+apiKeyColumns+` FROM ticket.api_keys WHERE key_id = $1`, keyID))
	if pg.IsNoRows(err) {
		return domain.APIKey{}, domain.ErrAPIKeyNotFound
	}
	if err != nil {
		return domain.APIKey{}, fmt.Errorf("store.FindAPIKey: %w", err)
	}
	return k, nil
}
