package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// History returns the history of ticket id, oldest first. withInternal=false
// leaves out the entries of internal notes, which a reporter must not learn of.
func (s *Store) History(ctx context.Context, v domain.Viewer, id string, withInternal bool) ([]domain.HistoryEntry, error) {
	var out []domain.HistoryEntry
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		t, err := s.getTx(ctx, tx, v, id, "")
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT sequence, ticket_id::text, kind, actor, from_status, to_status,
				reason, detail, event_id::text, create_time
			FROM ticket.history WHERE ticket_id = $1 AND ($2 OR NOT (kind = 'note_added' AND detail = 'internal'))
			ORDER BY sequence`, t.ID, withInternal)
		if err != nil {
			return fmt.Errorf("select history: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.HistoryEntry, error) {
			var (
				h        domain.HistoryEntry
				from, to string
			)
			err := r.Scan(&h.Sequence, &h.TicketID, &h.Kind, &h.Actor, &from, &to, &h.Reason, &h.Detail, &h.EventID, &h.CreateTime)
			h.From, h.To, h.CreateTime = domain.Status(from), domain.Status(to), h.CreateTime.UTC()
			return h, err
		})
		if err != nil {
			return fmt.Errorf("scan history: %w", err)
		}
		return logGBVReads(ctx, tx, v, "GetTicketHistory", []domain.Ticket{t})
	})
	if err != nil {
		return nil, fmt.Errorf("store.History: %w", err)
	}
	return out, nil
}
