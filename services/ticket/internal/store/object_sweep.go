package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
)

// lockObject takes the transaction's advisory lock on object key, which
// registering an upload and sweeping an object both hold, so neither sees
// the other half done.
func lockObject(ctx context.Context, tx pgx.Tx, key string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('ticket.object:' || $1, 0))`, key); err != nil {
		return fmt.Errorf("lock object: %w", err)
	}
	return nil
}

// StartUpload registers upload's object keys of tenant before it writes
// them: in flight until until (the sweep leaves them alone), and listed
// for the sweep from then on, so an upload that never finishes leaves
// nothing behind.
func (s *Store) StartUpload(ctx context.Context, tx pgx.Tx, upload, tenant string, keys []string, until time.Time) error {
	for _, k := range keys {
		if err := lockObject(ctx, tx, k); err != nil {
			return fmt.Errorf("store.StartUpload: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO ticket.object_uploads (upload_id, object_key, tenant, until) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, upload, k, tenant, until); err != nil {
			return fmt.Errorf("store.StartUpload: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO ticket.object_sweep (object_key, tenant, due) VALUES ($1, $2, $3)
			ON CONFLICT (object_key) DO NOTHING`, k, tenant, until); err != nil {
			return fmt.Errorf("store.StartUpload: %w", err)
		}
	}
	return nil
}

// FinishUpload ends upload's flight, in the transaction that commits its
// attachments.
func (s *Store) FinishUpload(ctx context.Context, tx pgx.Tx, upload string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM ticket.object_uploads WHERE upload_id = $1`, upload); err != nil {
		return fmt.Errorf("store.FinishUpload: %w", err)
	}
	return nil
}

// MarkObjects lists keys of tenant for the sweep, due at due: the objects
// of deleted attachments.
func (s *Store) MarkObjects(ctx context.Context, tx pgx.Tx, tenant string, keys []string, due time.Time) error {
	for _, k := range keys {
		if _, err := tx.Exec(ctx, `INSERT INTO ticket.object_sweep (object_key, tenant, due) VALUES ($1, $2, $3)
			ON CONFLICT (object_key) DO UPDATE SET due = least(ticket.object_sweep.due, excluded.due)`,
			k, tenant, due); err != nil {
			return fmt.Errorf("store.MarkObjects: %w", err)
		}
	}
	return nil
}

// DueObjects returns up to limit keys of the object sweep due at now, and
// forgets uploads whose flight ended long ago.
func (s *Store) DueObjects(ctx context.Context, tx pgx.Tx, now time.Time, limit int) ([]string, error) {
	if _, err := tx.Exec(ctx, `DELETE FROM ticket.object_uploads WHERE until <= $1`, now); err != nil {
		return nil, fmt.Errorf("store.DueObjects: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT object_key FROM ticket.object_sweep WHERE due <= $1 ORDER BY due LIMIT $2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("store.DueObjects: %w", err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store.DueObjects: %w", err)
	}
	return keys, nil
}

// SweepObject takes key off the object sweep if it is due at now and no
// upload of it is in flight (else it is due again when the flight ends),
// and reports whether its object must be deleted: no attachment refers to
// it. Delete the object in the same transaction, so that a failure leaves
// the key listed. Run it with a scope that sees every attachment of the
// tenant, GBV ones included (the sweep's System caller).
func (s *Store) SweepObject(ctx context.Context, tx pgx.Tx, key string, now time.Time) (bool, error) {
	if err := lockObject(ctx, tx, key); err != nil {
		return false, fmt.Errorf("store.SweepObject: %w", err)
	}
	var due time.Time
	err := tx.QueryRow(ctx, `SELECT due FROM ticket.object_sweep WHERE object_key = $1`, key).Scan(&due)
	if pg.IsNoRows(err) || (err == nil && due.After(now)) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store.SweepObject: %w", err)
	}
	var flying *time.Time
	if err := tx.QueryRow(ctx, `SELECT max(until) FROM ticket.object_uploads WHERE object_key = $1 AND until > $2`,
		key, now).Scan(&flying); err != nil {
		return false, fmt.Errorf("store.SweepObject: %w", err)
	}
	if flying != nil {
		if _, err := tx.Exec(ctx, `UPDATE ticket.object_sweep SET due = $2 WHERE object_key = $1`, key, *flying); err != nil {
			return false, fmt.Errorf("store.SweepObject: %w", err)
		}
		return false, nil
	}
	var used bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM ticket.attachments WHERE object_key = $1 OR thumb_key = $1)`,
		key).Scan(&used); err != nil {
		return false, fmt.Errorf("store.SweepObject: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM ticket.object_sweep WHERE object_key = $1`, key); err != nil {
		return false, fmt.Errorf("store.SweepObject: %w", err)
	}
	return !used, nil
}
