package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// noteAAD binds a sealed note body to its tenant, ticket and note, so a
// ciphertext copied onto another note or ticket fails to open.
func noteAAD(tenant, ticketID, noteID string) []byte {
	return append(aad(tenant, ticketID), ":note:"+noteID...)
}

// AddNote stores a note on ticket id after allow approves it against the
// current ticket, with a `note_added` history entry (the body stays out of
// the history; the detail says the visibility). On a GBV ticket the body is
// sealed like the ticket's content and the plaintext column is left empty,
// and the answer (the note) is logged as a read of the ticket.
func (s *Store) AddNote(ctx context.Context, v domain.Viewer, id string, n domain.Note, allow func(domain.Ticket) error) (domain.Note, error) {
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		t, err := s.getTx(ctx, tx, v, id, "FOR UPDATE")
		if err != nil {
			return err
		}
		if err := allow(t); err != nil {
			return err
		}
		now := s.timestamp()
		n.ID, n.TicketID, n.Author, n.CreateTime = uuid.NewString(), t.ID, v.Subject, now
		body := n.Body
		var (
			sealed, nonce []byte
			keyID         *string
		)
		if t.IsGBV() {
			sd, err := s.keys.Seal([]byte(n.Body), noteAAD(t.Tenant, t.ID, n.ID))
			if err != nil {
				return err
			}
			body, sealed, nonce, keyID = "", sd.Ciphertext, sd.Nonce, &sd.KeyID
		}
		// by_staff decides whether a public note may reach Open311.
		if _, err := tx.Exec(ctx, `INSERT INTO ticket.notes (id, ticket_id, tenant, gbv, author, by_staff, visibility, body,
				sealed, sealed_key_id, sealed_nonce, create_time)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			n.ID, n.TicketID, t.Tenant, t.IsGBV(), n.Author, v.IsStaff(), n.Visibility, body, sealed, keyID, nonce, now); err != nil {
			return fmt.Errorf("insert note: %w", err)
		}
		var seq int64
		if err := tx.QueryRow(ctx, `UPDATE ticket.tickets SET update_time = $2, history_seq = history_seq + 1
			WHERE id = $1 RETURNING history_seq`, t.ID, now).Scan(&seq); err != nil {
			return fmt.Errorf("bump history: %w", err)
		}
		if err := s.insertHistory(ctx, tx, t, domain.HistoryEntry{Sequence: seq, TicketID: t.ID, Kind: domain.HistoryNoteAdded,
			Actor: v.Subject, Detail: n.Visibility, EventID: uuid.NewString(), CreateTime: now}); err != nil {
			return err
		}
		// The answer carries the note's body, which is GBV content.
		return logGBVReads(ctx, tx, v, "AddTicketNote", []domain.Ticket{t})
	})
	if err != nil {
		return domain.Note{}, fmt.Errorf("store.AddNote: %w", err)
	}
	return n, nil
}

// ListNotes returns the notes of ticket id, oldest first; internal notes only
// when withInternal is set. Sealed bodies (GBV) are opened here.
func (s *Store) ListNotes(ctx context.Context, v domain.Viewer, id string, withInternal bool) ([]domain.Note, error) {
	var out []domain.Note
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		t, err := s.getTx(ctx, tx, v, id, "")
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id::text, ticket_id::text, author, visibility, body,
				sealed, sealed_key_id, sealed_nonce, create_time
			FROM ticket.notes WHERE ticket_id = $1 AND ($2 OR visibility = 'public')
			ORDER BY create_time, id`, t.ID, withInternal)
		if err != nil {
			return fmt.Errorf("select notes: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Note, error) {
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
					return n, fmt.Errorf("store: open note %s: %w", n.ID, err)
				}
				n.Body = string(pt)
			}
			return n, nil
		})
		if err != nil {
			return fmt.Errorf("scan notes: %w", err)
		}
		return logGBVReads(ctx, tx, v, "ListTicketNotes", []domain.Ticket{t})
	})
	if err != nil {
		return nil, fmt.Errorf("store.ListNotes: %w", err)
	}
	return out, nil
}
