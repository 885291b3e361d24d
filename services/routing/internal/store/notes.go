package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// noteAAD binds a sealed note to its tenant, ticket and assignment, so a
// ciphertext copied onto another assignment or ticket fails to open.
func noteAAD(tenant, ticketID, assignmentID string) []byte {
	return []byte("routing.assignment.note:" + tenant + ":" + ticketID + ":" + assignmentID)
}

// sealedParts is a sealed note as its three columns; the zero value is
// no sealed note (three NULLs).
type sealedParts seal.Sealed

func (s sealedParts) keyID() *string {
	if s.Ciphertext == nil {
		return nil
	}
	return &s.KeyID
}

// sealNote returns what assignment a stores in note and in the sealed
// columns: a GBV note is sealed (note is empty), any other stays in plain
// text. An empty GBV note seals nothing.
func (s *Store) sealNote(a domain.Assignment) (string, sealedParts, error) {
	if a.Category != word.CategoryGBV || a.Note == "" {
		return a.Note, sealedParts{}, nil
	}
	if s.keys == nil {
		return "", sealedParts{}, fmt.Errorf("seal the note of GBV assignment %s: no key ring", a.ID)
	}
	sealed, err := s.keys.Seal([]byte(a.Note), noteAAD(a.Tenant, a.TicketID, a.ID))
	if err != nil {
		return "", sealedParts{}, fmt.Errorf("seal the note of GBV assignment %s: %w", a.ID, err)
	}
	return "", sealedParts(sealed), nil
}

// OpenNote fills a.Note from its sealed note, if it has one. Call it only
// for a caller who may read the assignment, and log the answer that
// carries it (app.disclose).
func (s *Store) OpenNote(a *domain.Assignment) error {
	if a.SealedNote == nil {
		return nil
	}
	if s.keys == nil {
		return fmt.Errorf("store.OpenNote: assignment %s: no key ring", a.ID)
	}
	pt, err := s.keys.Open(seal.Sealed{KeyID: a.SealedNote.KeyID, Nonce: a.SealedNote.Nonce, Ciphertext: a.SealedNote.Ciphertext},
		noteAAD(a.Tenant, a.TicketID, a.ID))
	if err != nil {
		return fmt.Errorf("store.OpenNote: assignment %s: %w", a.ID, err)
	}
	a.Note = string(pt)
	return nil
}

// legacyBatch is how many plain-text GBV notes one transaction seals.
const legacyBatch = 500

// SealLegacyNotes seals the notes of GBV assignments stored in plain text
// before migration 00006, then validates the constraint gbv_note_sealed so
// that no plain-text GBV note can exist at all. It runs as the connecting
// (owner) role: the application role may not rewrite assignments. Replicas
// starting together take turns on an advisory lock; once done it costs one
// catalog look-up.
func (s *Store) SealLegacyNotes(ctx context.Context, pool *pgxpool.Pool) error {
	var validated bool
	if err := pool.QueryRow(ctx, `SELECT convalidated FROM pg_constraint
		WHERE conname = 'gbv_note_sealed' AND conrelid = 'routing.assignments'::regclass`).Scan(&validated); err != nil {
		return fmt.Errorf("store.SealLegacyNotes: %w", err)
	}
	if validated {
		return nil
	}
	for {
		n, err := s.sealLegacyBatch(ctx, pool)
		if err != nil {
			return fmt.Errorf("store.SealLegacyNotes: %w", err)
		}
		if n < legacyBatch {
			break
		}
	}
	if _, err := pool.Exec(ctx, `ALTER TABLE routing.assignments VALIDATE CONSTRAINT gbv_note_sealed`); err != nil {
		return fmt.Errorf("store.SealLegacyNotes: validate: %w", err)
	}
	return nil
}

// sealLegacyBatch seals up to legacyBatch plain-text GBV notes in one
// transaction and says how many.
func (s *Store) sealLegacyBatch(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	// The owner may be subject to row-level security (FORCE): see every tenant.
	if _, err := tx.Exec(ctx, `SELECT set_config('app.all_tenants', 'on', true),
		pg_advisory_xact_lock($1)`, pg.LockID("trustengine.routing.seal-legacy-notes")); err != nil {
		return 0, err
	}
	rows, err := tx.Query(ctx, `SELECT id::text, tenant, ticket_id::text, note FROM routing.assignments
		WHERE category = 'gbv' AND note <> '' LIMIT $1 FOR UPDATE`, legacyBatch)
	if err != nil {
		return 0, err
	}
	legacy, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Assignment, error) {
		a := domain.Assignment{Category: word.CategoryGBV}
		return a, r.Scan(&a.ID, &a.Tenant, &a.TicketID, &a.Note)
	})
	if err != nil {
		return 0, err
	}
	for _, a := range legacy {
		_, sealed, err := s.sealNote(a)
		if err != nil {
			return 0, err
		}
		if _, err := tx.Exec(ctx, `UPDATE routing.assignments SET note = '', note_sealed = $2, note_key_id = $3,
			note_nonce = $4 WHERE id = $1`, a.ID, sealed.Ciphertext, sealed.keyID(), sealed.Nonce); err != nil {
			return 0, err
		}
	}
	return len(legacy), tx.Commit(ctx)
}
