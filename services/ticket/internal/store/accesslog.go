package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// ListAccessLog returns GBV access log entries, newest first, with id below
// beforeID (0 for the first page), up to limit, and whether more follow.
func (s *Store) ListAccessLog(ctx context.Context, v domain.Viewer, tenant, ticketID string, beforeID int64, limit int) ([]domain.AccessLogEntry, bool, error) {
	w := &where{}
	if tenant != "" {
		w.add("tenant = " + w.arg(tenant))
	}
	if ticketID != "" {
		w.add("ticket_id = " + w.arg(ticketID) + "::uuid")
	}
	if beforeID > 0 {
		w.add("id < " + w.arg(beforeID))
	}
	query := `SELECT id, tenant, ticket_id::text, subject, roles, action, create_time FROM ticket.gbv_access_log
		WHERE ` + w.sql() + ` ORDER BY id DESC LIMIT ` + w.arg(limit+1)
	var out []domain.AccessLogEntry
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, query, w.args...)
		if err != nil {
			return fmt.Errorf("select gbv_access_log: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.AccessLogEntry, error) {
			var e domain.AccessLogEntry
			err := r.Scan(&e.ID, &e.Tenant, &e.TicketID, &e.Subject, &e.Roles, &e.Action, &e.CreateTime)
			e.CreateTime = e.CreateTime.UTC()
			return e, err
		})
		if err != nil {
			return fmt.Errorf("scan gbv_access_log: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("store.ListAccessLog: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}
