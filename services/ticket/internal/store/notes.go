package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// noteAAD binds a sealed note body to its tenant, ticket and note, so a
// ciphertext copied onto another note or ticket fails to open.
func noteAAD(tenant, ticketID, noteID string) []byte {
	return append(aad(tenant, ticketID), ":note:"+noteID...)
}

// InsertNote writes note n of ticket t; byStaff decides whether a public
// note may reach Open311. On a GBV ticket the body is sealed like the
// ticket's content and the plaintext column is left empty.
func (s *Store) InsertNote(ctx context.Context, tx pgx.Tx, t domain.Ticket, n domain.Note, byStaff bool) error {
	body := n.Body
	var (
		sealed, nonce []byte
		keyID         *string
	)
	if t.IsGBV() {
		sd, err := s.keys.Seal([]byte(n.Body), noteAAD(t.Tenant, t.ID, n.ID))
		if err != nil {
			return fmt.Errorf("store.InsertNote: %w", err)
		}
		body, sealed, nonce, keyID = "", sd.Ciphertext, sd.Nonce, &sd.KeyID
	}
	if _, err := tx.Exec(ctx, `INSERT INTO ticket.notes (id, ticket_id, tenant, gbv, author, by_staff, visibility, body,
			sealed, sealed_key_id, sealed_nonce, create_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		n.ID, t.ID, t.Tenant, t.IsGBV(), n.Author, byStaff, n.Visibility, body, sealed, keyID, nonce, n.CreateTime); err != nil {
		return fmt.Errorf("store.InsertNote: %w", err)
	}
	return nil
}

// ListNotes returns the notes of ticket t, oldest first; internal notes
// only when withInternal is set. Sealed bodies (GBV) are opened here.
func (s *Store) ListNotes(ctx context.Context, tx pgx.Tx, t domain.Ticket, withInternal bool) ([]domain.Note, error) {
	rows, err := tx.Query(ctx, `SELECT id::text, ticket_id::text, author, visibility, body,
			sealed, sealed_key_id, sealed_nonce, create_time
		FROM ticket.notes WHERE ticket_id = $1 AND ($2 OR visibility = 'public')
		ORDER BY create_time, id`, t.ID, withInternal)
	if err != nil {
		return nil, fmt.Errorf("store.ListNotes: %w", err)
	}
	ns, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Note, error) {
		var (
			n             domain.Note
			sealed, nonce []byte
			keyID         *string
		)
		if err := r.Scan(&n.ID, &n.TicketID, &n.Author, &n.Visibility, &n.Body,
			&sealed, &keyID, &nonce, &n.CreateTime); err != nil {
			return n, err
		}
		n.CreateTime = n.CreateTime.UTC()
		if sealed != nil && keyID != nil {
			pt, err := s.keys.Open(seal.Sealed{KeyID: *keyID, Nonce: nonce, Ciphertext: sealed}, noteAAD(t.Tenant, t.ID, n.ID))
			if err != nil {
				return n, fmt.Errorf("open note %s: %w", n.ID, err)
			}
			n.Body = string(pt)
		}
		return n, nil
	})
	if err != nil {
		return nil, fmt.Errorf("store.ListNotes: %w", err)
	}
	return ns, nil
}
