package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ListAssignments returns a ticket's history, oldest first. GBV assignments
// are left out unless includeGBV.
func ListAssignments(ctx context.Context, tx pgx.Tx, ticketID string, includeGBV bool) ([]domain.Assignment, error) {
	if validID(ticketID) != nil {
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

// QueueFilter selects the current tickets of a team, or of the triage queue
// when TeamID is "".
type QueueFilter struct {
	Tenant          string
	TeamID          string
	IncludeFinished bool
	IncludeGBV      bool
	// Limit counts one row beyond the page, fetched to tell whether more
	// follow (see server.pageOf); the answer leaves it out.
	Limit, Offset int
}

// ListQueue returns current assignments with their last known status,
// oldest assignment first.
func ListQueue(ctx context.Context, tx pgx.Tx, f QueueFilter) ([]domain.QueuedTicket, error) {
	rows, err := tx.Query(ctx, `SELECT `+assignmentCols+`, coalesce(s.status, 'open')`+assignmentFrom+`
		LEFT JOIN routing.ticket_status s ON s.ticket_id = a.ticket_id
		WHERE a.is_current AND a.tenant = $1
		  AND CASE WHEN $2 = '' THEN a.team_id IS NULL ELSE a.team_id = nullif($2, '')::uuid END
		  AND ($3 OR coalesce(s.status, 'open') <> ALL ($4))
		  AND ($5 OR a.category <> 'gbv')
		ORDER BY a.created_at, a.id LIMIT $6 OFFSET $7`,
		f.Tenant, f.TeamID, f.IncludeFinished, domain.FinishedStatuses, f.IncludeGBV, f.Limit, f.Offset)
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
func RecordStatus(ctx context.Context, tx pgx.Tx, tenant, ticketID, status string, sequence int64) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO routing.ticket_status (ticket_id, tenant, status, sequence)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (ticket_id) DO UPDATE SET status = EXCLUDED.status, sequence = EXCLUDED.sequence, updated_at = now()
		WHERE routing.ticket_status.sequence < EXCLUDED.sequence`, ticketID, tenant, status, sequence)
	if err != nil {
		return false, fmt.Errorf("store.RecordStatus: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}
