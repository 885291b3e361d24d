package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/ticket/migrations"
)

// Prepare readies the database for the ticket service at start-up (and
// the tests' template): PostGIS, the application role, the migrations of
// schema "ticket", then SealLegacy, which needs keys.
func Prepare(ctx context.Context, pool *pgxpool.Pool, keys *seal.Keyring) error {
	if err := pg.Prepare(ctx, pool, "ticket", migrations.FS); err != nil {
		return err
	}
	return New(keys).SealLegacy(ctx, pool)
}

// sealedChecks are the CHECKs that forbid GBV plaintext, added NOT VALID by
// migrations 00004 and 00008 and validated by SealLegacy.
var sealedChecks = []struct{ table, name string }{
	{"ticket.tickets", "gbv_text_sealed"},
	{"ticket.history", "gbv_history_sealed"},
	{"ticket.notes", "gbv_note_sealed"},
}

// legacyBatch is how many rows one transaction of SealLegacy seals.
const legacyBatch = 500

// SealLegacy seals the GBV text that versions before migration 00008 (and
// 00004 for notes) kept in plain text: a ticket's address and cancel reason,
// history reasons and details, note bodies. It works in batches of one
// transaction each, so a crash loses nothing and the next start-up goes on,
// then validates the CHECKs that keep plaintext out, after which it has
// nothing more to do. It runs as the connecting role (the schema owner:
// history and notes are append-only for the application role), under an
// advisory lock so replicas starting together do it once.
func (s *Store) SealLegacy(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store.SealLegacy: acquire: %w", err)
	}
	defer conn.Release()
	lock := pg.LockID("trustengine.seal_legacy.ticket")
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lock); err != nil {
		return fmt.Errorf("store.SealLegacy: pg_advisory_lock: %w", err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lock) }()

	var done bool
	if err := conn.QueryRow(ctx, `SELECT count(*) = $1 FROM pg_constraint
		WHERE connamespace = 'ticket'::regnamespace AND conname = ANY($2) AND convalidated`,
		len(sealedChecks), checkNames()).Scan(&done); err != nil {
		return fmt.Errorf("store.SealLegacy: constraints: %w", err)
	}
	if done {
		return nil
	}
	for _, step := range []struct {
		what string
		seal func(ctx context.Context, tx pgx.Tx, after *legacyCursor) (*legacyCursor, int, error)
	}{{"tickets", s.sealLegacyTickets}, {"history", s.sealLegacyHistory}, {"notes", s.sealLegacyNotes}} {
		var after *legacyCursor
		for {
			var n int
			err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
				// Past row-level security for an owner without BYPASSRLS.
				if _, err := tx.Exec(ctx, `SELECT set_config('app.all_tenants', 'on', true), set_config('app.roles', 'service', true)`); err != nil {
					return fmt.Errorf("scope: %w", err)
				}
				var err error
				after, n, err = step.seal(ctx, tx, after)
				return err
			})
			if err != nil {
				return fmt.Errorf("store.SealLegacy: %s: %w", step.what, err)
			}
			if n < legacyBatch {
				break
			}
		}
	}
	for _, c := range sealedChecks {
		if _, err := conn.Exec(ctx, `ALTER TABLE `+c.table+` VALIDATE CONSTRAINT `+c.name); err != nil {
			return fmt.Errorf("store.SealLegacy: validate %s: %w", c.name, err)
		}
	}
	return nil
}

// legacyCursor is the key of the last row a batch read: a ticket or note
// id, or a history entry's ticket id and sequence. Batches walk the primary
// key, so the whole table is read once however many batches it takes.
type legacyCursor struct {
	id  string
	seq int64
}

// args returns the cursor as the query arguments $1 (NULL before the first
// batch) and $2.
func (c *legacyCursor) args() (*string, int64) {
	if c == nil {
		return nil, 0
	}
	return &c.id, c.seq
}

func checkNames() []string {
	out := make([]string, len(sealedChecks))
	for i, c := range sealedChecks {
		out[i] = c.name
	}
	return out
}
