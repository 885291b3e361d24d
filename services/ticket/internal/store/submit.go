package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// SubmitPublic stores a report filed by an API client like any created
// ticket (same reference, history, idempotency and hook), and in the same
// transaction its media URL and attributes. The caller folds those into the
// sealed description of a GBV report instead, so here they are only written
// for other categories.
func (s *Store) SubmitPublic(ctx context.Context, v domain.Viewer, r domain.PublicReport, hook Hook) (domain.Ticket, bool, error) {
	extra := func(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error {
		if !t.IsGBV() && (r.MediaURL != "" || len(r.Attributes) > 0) {
			attrs, err := json.Marshal(r.Attributes)
			if err != nil {
				return fmt.Errorf("marshal attributes: %w", err)
			}
			if len(r.Attributes) == 0 {
				attrs = []byte("{}")
			}
			if _, err := tx.Exec(ctx, `UPDATE ticket.tickets SET media_url = $2, attributes = $3 WHERE id = $1`,
				t.ID, r.MediaURL, attrs); err != nil {
				return fmt.Errorf("update media: %w", err)
			}
		}
		return hook(ctx, tx, t, h)
	}
	t, created, err := s.create(ctx, v, r.CreateInput, r.Digest(), extra)
	if err != nil {
		return domain.Ticket{}, false, fmt.Errorf("store.SubmitPublic: %w", err)
	}
	return t, created, nil
}
