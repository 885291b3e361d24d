package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// OptOut records that the address hashed as hash wants nothing more on
// ch in tenant, reporting whether it is new.
func (s *Store) OptOut(ctx context.Context, tx pgx.Tx, tenant string, ch domain.Channel, hash []byte, source string, now time.Time) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO notify.opt_outs (tenant, channel, address_hash, source, create_time)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, tenant, string(ch), hash, source, now)
	if err != nil {
		return false, fmt.Errorf("store.OptOut: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// OptedOut reports whether the address hashed as hash opted out of ch.
func (s *Store) OptedOut(ctx context.Context, tx pgx.Tx, tenant string, ch domain.Channel, hash []byte) (bool, error) {
	var out bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM notify.opt_outs WHERE tenant = $1 AND channel = $2 AND address_hash = $3)`,
		tenant, string(ch), hash).Scan(&out)
	if err != nil {
		return false, fmt.Errorf("store.OptedOut: %w", err)
	}
	return out, nil
}

// TouchInbound records that the address hashed as hash wrote to us on ch
// at t.
func (s *Store) TouchInbound(ctx context.Context, tx pgx.Tx, tenant string, ch domain.Channel, hash []byte, t time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO notify.inbound (tenant, channel, address_hash, last_time) VALUES ($1, $2, $3, $4)
		ON CONFLICT (tenant, channel, address_hash) DO UPDATE SET last_time = greatest(notify.inbound.last_time, excluded.last_time)`,
		tenant, string(ch), hash, t)
	if err != nil {
		return fmt.Errorf("store.TouchInbound: %w", err)
	}
	return nil
}

// LastInbound is when the address hashed as hash last wrote to us on ch.
func (s *Store) LastInbound(ctx context.Context, tx pgx.Tx, tenant string, ch domain.Channel, hash []byte) (*time.Time, error) {
	var t time.Time
	err := tx.QueryRow(ctx, `SELECT last_time FROM notify.inbound WHERE tenant = $1 AND channel = $2 AND address_hash = $3`,
		tenant, string(ch), hash).Scan(&t)
	if pg.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store.LastInbound: %w", err)
	}
	return &t, nil
}

// InsertReceipt keeps r as provider sent it, once.
func (s *Store) InsertReceipt(ctx context.Context, tx pgx.Tx, tenant, provider string, r domain.Receipt, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO notify.receipts (tenant, provider, provider_message_id, state, error, receive_time)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, tenant, provider, r.ProviderMessageID, string(r.State), r.Error, now)
	if err != nil {
		return fmt.Errorf("store.InsertReceipt: %w", err)
	}
	return nil
}

// Receipts returns the receipts provider sent about its message pid.
func (s *Store) Receipts(ctx context.Context, tx pgx.Tx, tenant, provider, pid string) ([]domain.Receipt, error) {
	rows, err := tx.Query(ctx, `SELECT provider_message_id, state, error FROM notify.receipts
		WHERE tenant = $1 AND provider = $2 AND provider_message_id = $3 ORDER BY receive_time`, tenant, provider, pid)
	if err != nil {
		return nil, fmt.Errorf("store.Receipts: %w", err)
	}
	rs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Receipt, error) {
		var (
			rc    domain.Receipt
			state string
		)
		err := r.Scan(&rc.ProviderMessageID, &state, &rc.Error)
		rc.State = domain.State(state)
		return rc, err
	})
	if err != nil {
		return nil, fmt.Errorf("store.Receipts: %w", err)
	}
	return rs, nil
}
