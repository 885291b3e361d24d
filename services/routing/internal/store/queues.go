package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ListAssignments returns a ticket's history, oldest first. GBV assignments
// are left out unless includeGBV.
func (s *Store) ListAssignments(ctx context.Context, tx pgx.Tx, ticketID string, includeGBV bool) ([]domain.Assignment, error) {
	if !domain.IsID(ticketID) {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT `+assignmentCols+assignmentFrom+`
		WHERE a.ticket_id = $1 AND ($2 OR a.category <> 'gbv') ORDER BY a.created_at, a.id`, ticketID, includeGBV)
	if err != nil {
		return nil, fmt.Errorf("store.ListAssignments: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanAssignment)
	if err != nil {
		return nil, fmt.Errorf("store.ListAssignments: %w", err)
	}
	return out, nil
}

// ListQueue returns current assignments with their last known status,
// oldest assignment first.
func (s *Store) ListQueue(ctx context.Context, tx pgx.Tx, f domain.QueueFilter) ([]domain.QueuedTicket, error) {
	rows, err := tx.Query(ctx, `SELECT `+assignmentCols+`, coalesce(s.status, 'open')`+assignmentFrom+`
		LEFT JOIN routing.ticket_status s ON s.ticket_id = a.ticket_id
		WHERE a.is_current AND a.tenant = $1
		  AND CASE WHEN $2 = '' THEN a.team_id IS NULL ELSE a.team_id = nullif($2, '')::uuid END
		  AND ($3 OR coalesce(s.status, 'open') <> ALL ($4))
		  AND ($5 OR a.category <> 'gbv')
		ORDER BY a.created_at, a.id LIMIT $6 OFFSET $7`,
		f.Tenant, f.TeamID, f.IncludeFinished, word.Finished(), f.IncludeGBV, f.Limit, f.Offset)
	if err != nil {
		return nil, fmt.Errorf("store.ListQueue: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.QueuedTicket, error) {
		var q domain.QueuedTicket
		a, err := scanAssignmentWith(row, &q.Status)
		q.Assignment = a
		return q, err
	})
	if err != nil {
		return nil, fmt.Errorf("store.ListQueue: %w", err)
	}
	return out, nil
}

// RecordStatus stores a ticket's status unless a later (or the same)
// sequence is already recorded; it reports whether it applied.
func (s *Store) RecordStatus(ctx context.Context, tx pgx.Tx, r domain.StatusReport) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO routing.ticket_status (ticket_id, tenant, status, sequence)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (ticket_id) DO UPDATE SET status = EXCLUDED.status, sequence = EXCLUDED.sequence, updated_at = now()
		WHERE routing.ticket_status.sequence < EXCLUDED.sequence`, r.TicketID, r.Tenant, r.Status, r.Sequence)
	if err != nil {
		return false, fmt.Errorf("store.RecordStatus: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}
