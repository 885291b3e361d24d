package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

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
// most urgent first: by priority (P1 first, none after P4), then the
// earliest recorded SLA deadline (none last), then the oldest assignment.
func (s *Store) ListQueue(ctx context.Context, tx pgx.Tx, f domain.QueueFilter) ([]domain.QueuedTicket, error) {
	rows, err := tx.Query(ctx, `SELECT `+assignmentCols+`, coalesce(s.status, 'open'), coalesce(s.priority, ''),
			least(s.response_deadline, s.resolution_deadline)`+assignmentFrom+`
		LEFT JOIN routing.ticket_status s ON s.ticket_id = a.ticket_id
		WHERE a.is_current AND a.tenant = $1
		  AND CASE WHEN $2 = '' THEN a.team_id IS NULL ELSE a.team_id = nullif($2, '')::uuid END
		  AND ($3 OR coalesce(s.status, 'open') <> ALL ($4))
		  AND ($5 OR a.category <> 'gbv')
		ORDER BY coalesce(array_position($8::text[], s.priority), cardinality($8::text[]) + 1),
		  least(s.response_deadline, s.resolution_deadline) NULLS LAST, a.created_at, a.id
		LIMIT $6 OFFSET $7`,
		f.Tenant, f.TeamID, f.IncludeFinished, word.Finished(), f.IncludeGBV, f.Limit, f.Offset, word.Priorities())
	if err != nil {
		return nil, fmt.Errorf("store.ListQueue: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.QueuedTicket, error) {
		var q domain.QueuedTicket
		a, err := scanAssignmentWith(row, &q.Status, &q.Priority, &q.BreachTime)
		q.Assignment = a
		return q, err
	})
	if err != nil {
		return nil, fmt.Errorf("store.ListQueue: %w", err)
	}
	return out, nil
}

// RecordStatus stores a ticket's status, priority and deadlines unless a
// later (or the same) sequence is already recorded; it reports whether it
// applied.
func (s *Store) RecordStatus(ctx context.Context, tx pgx.Tx, r domain.StatusReport) (bool, error) {
	applied, err := s.RecordStatuses(ctx, tx, []domain.StatusReport{r})
	if err != nil {
		return false, err
	}
	return applied[0], nil
}

// RecordStatuses is RecordStatus of each of rs, in their order, in one
// round trip; it reports, per report, whether it applied.
func (s *Store) RecordStatuses(ctx context.Context, tx pgx.Tx, rs []domain.StatusReport) ([]bool, error) {
	applied := make([]bool, len(rs))
	b := &pgx.Batch{}
	for i, r := range rs {
		s.QueueRecordStatus(b, r, &applied[i])
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("store.RecordStatus: %w", err)
	}
	return applied, nil
}

// QueueRecordStatus adds RecordStatus of r to b, for a transaction's
// batch; applied (nil: not wanted) learns whether it applied.
func (s *Store) QueueRecordStatus(b *pgx.Batch, r domain.StatusReport, applied *bool) {
	b.Queue(recordStatusSQL, r.TicketID, r.Tenant, r.Status, r.Sequence, r.Priority, r.Response, r.Resolution).
		Exec(func(tag pgconn.CommandTag) error {
			if applied != nil {
				*applied = tag.RowsAffected() == 1
			}
			return nil
		})
}

// recordStatusSQL stores a ticket's status report unless a later one is
// stored.
const recordStatusSQL = `INSERT INTO routing.ticket_status
			(ticket_id, tenant, status, sequence, priority, response_deadline, resolution_deadline)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (ticket_id) DO UPDATE SET status = EXCLUDED.status, sequence = EXCLUDED.sequence,
			priority = EXCLUDED.priority, response_deadline = EXCLUDED.response_deadline,
			resolution_deadline = EXCLUDED.resolution_deadline, updated_at = now()
		WHERE routing.ticket_status.sequence < EXCLUDED.sequence`
