package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// LockForService locks ticket id of tenant for an update by another
// service and returns its identity (id, tenant, category, reference), its
// status and assignment, and what routing and SLA mirrored onto it last. The tenant filter is the query's own; the
// caller's scope, confined to the job's tenant, is the second wall.
func (s *Store) LockForService(ctx context.Context, tx pgx.Tx, tenant, id string) (domain.Ticket, domain.Mirror, error) {
	t := domain.Ticket{ID: id, Tenant: tenant}
	var (
		m                     domain.Mirror
		cat, status, priority string
	)
	err := tx.QueryRow(ctx, `SELECT category, assignment_id, assign_time, deadlines_revision, response_deadline, resolution_deadline,
			reference, status, assigned_team_id, assigned_team_name, assigned_person_id, ward_code, priority
		FROM ticket.tickets WHERE id = $1 AND tenant = $2 FOR UPDATE`, id, tenant).
		Scan(&cat, &m.AssignmentID, &m.AssignTime, &m.Revision, &m.Response, &m.Resolution,
			&t.Reference, &status, &t.AssignedTeamID, &t.AssignedTeamName, &t.AssignedPersonID, &t.WardCode, &priority)
	if pg.IsNoRows(err) {
		return t, m, domain.ErrTicketNotFound
	}
	if err != nil {
		return t, m, fmt.Errorf("store.LockForService: %w", err)
	}
	t.Category, t.Status, t.Priority = domain.Category(cat), domain.Status(status), domain.Priority(priority)
	t.ResponseDeadline, t.ResolutionDeadline = m.Response, m.Resolution
	return t, m, nil
}

// SetWard records the ward ticket id was created in, unless it has one:
// the first ward routing tells is kept when the wards are redrawn.
func (s *Store) SetWard(ctx context.Context, tx pgx.Tx, id, ward string) error {
	if _, err := tx.Exec(ctx, `UPDATE ticket.tickets SET ward_code = $2 WHERE id = $1 AND ward_code = ''`, id, ward); err != nil {
		return fmt.Errorf("store.SetWard: %w", err)
	}
	return nil
}

// SetDeadlines mirrors SLA's deadlines d onto their ticket.
func (s *Store) SetDeadlines(ctx context.Context, tx pgx.Tx, d domain.Deadlines) error {
	if _, err := tx.Exec(ctx, `UPDATE ticket.tickets SET deadlines_revision = $2, response_deadline = $3,
		resolution_deadline = $4 WHERE id = $1`, d.TicketID, d.Revision, d.Response, d.Resolution); err != nil {
		return fmt.Errorf("store.SetDeadlines: %w", err)
	}
	return nil
}

// SetDeadlinesWithHistory is SetDeadlines and AppendHistory of h on t in
// one update of the ticket's row: a row version fewer per change, and
// with the table's many indexes every version of this row costs an entry
// in each.
func (s *Store) SetDeadlinesWithHistory(ctx context.Context, tx pgx.Tx, t domain.Ticket, d domain.Deadlines,
	h domain.HistoryEntry) (domain.HistoryEntry, error) {
	if err := tx.QueryRow(ctx, `UPDATE ticket.tickets SET deadlines_revision = $2, response_deadline = $3,
			resolution_deadline = $4, update_time = $5, history_seq = history_seq + 1
		WHERE id = $1 RETURNING history_seq`, d.TicketID, d.Revision, d.Response, d.Resolution, h.CreateTime).
		Scan(&h.Sequence); err != nil {
		return h, fmt.Errorf("store.SetDeadlinesWithHistory: %w", err)
	}
	h.TicketID = t.ID
	return h, s.InsertHistory(ctx, tx, t, h)
}

// SetAssignmentWithHistory mirrors routing's assignment a onto its ticket
// t (an escalation also sets when and why the ticket was escalated and
// raises its level), records the ward when ward and t has none (as
// SetWard), and appends h to t's history (as AppendHistory), all in one
// update of the ticket's row (see SetDeadlinesWithHistory).
func (s *Store) SetAssignmentWithHistory(ctx context.Context, tx pgx.Tx, t domain.Ticket, a domain.Assignment, ward bool,
	h domain.HistoryEntry) (domain.HistoryEntry, error) {
	if err := tx.QueryRow(ctx, `UPDATE ticket.tickets SET assignment_id = $2, assign_time = $3,
			assigned_team_id = $4, assigned_team_name = $5, assigned_person_id = $6, assignment_reason = $7,
			escalated_at = CASE WHEN $8 THEN $3 ELSE escalated_at END,
			escalation_reason = CASE WHEN $8 THEN $7 ELSE escalation_reason END,
			escalation_level = CASE WHEN $8 THEN greatest(escalation_level, $9) ELSE escalation_level END,
			ward_code = CASE WHEN $10 AND ward_code = '' THEN $11 ELSE ward_code END,
			update_time = $12, history_seq = history_seq + 1
		WHERE id = $1 RETURNING history_seq`, a.TicketID, a.AssignmentID, a.AssignTime, a.TeamID, a.TeamName, a.PersonID, a.Reason,
		a.IsEscalation(), a.EscalationLevel, ward, a.WardCode, h.CreateTime).Scan(&h.Sequence); err != nil {
		return h, fmt.Errorf("store.SetAssignmentWithHistory: %w", err)
	}
	h.TicketID = t.ID
	return h, s.InsertHistory(ctx, tx, t, h)
}
