package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// AddNote stores a note on ticket id after allow approves it against the
// current ticket, with a `note_added` history entry (the body stays out of
// the history; the detail says the visibility).
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
		if _, err := tx.Exec(ctx, `INSERT INTO ticket.notes (id, ticket_id, tenant, gbv, author, visibility, body, create_time)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			n.ID, n.TicketID, t.Tenant, t.IsGBV(), n.Author, n.Visibility, n.Body, now); err != nil {
			return fmt.Errorf("insert note: %w", err)
		}
		var seq int64
		if err := tx.QueryRow(ctx, `UPDATE ticket.tickets SET update_time = $2, history_seq = history_seq + 1
			WHERE id = $1 RETURNING history_seq`, t.ID, now).Scan(&seq); err != nil {
			return fmt.Errorf("bump history: %w", err)
		}
		return insertHistory(ctx, tx, t, domain.HistoryEntry{Sequence: seq, TicketID: t.ID, Kind: domain.HistoryNoteAdded,
			Actor: v.Subject, Detail: n.Visibility, EventID: uuid.NewString(), CreateTime: now})
	})
	if err != nil {
		return domain.Note{}, fmt.Errorf("store.AddNote: %w", err)
	}
	return n, nil
}

// ListNotes returns the notes of ticket id, oldest first; internal notes only
// when withInternal is set.
func (s *Store) ListNotes(ctx context.Context, v domain.Viewer, id string, withInternal bool) ([]domain.Note, error) {
	var out []domain.Note
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		t, err := s.getTx(ctx, tx, v, id, "")
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id::text, ticket_id::text, author, visibility, body, create_time
			FROM ticket.notes WHERE ticket_id = $1 AND ($2 OR visibility = 'public')
			ORDER BY create_time, id`, t.ID, withInternal)
		if err != nil {
			return fmt.Errorf("select notes: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Note, error) {
			var n domain.Note
			err := r.Scan(&n.ID, &n.TicketID, &n.Author, &n.Visibility, &n.Body, &n.CreateTime)
			n.CreateTime = n.CreateTime.UTC()
			return n, err
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
