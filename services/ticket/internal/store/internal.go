package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// Assignment is routing's current assignment of a ticket.
type Assignment struct {
	Tenant, TicketID, AssignmentID string
	TeamID, TeamName, PersonID     string
	Reason                         string
	EscalationLevel                int32
	AssignTime                     time.Time
}

// IsEscalation reports whether the assignment escalates the ticket.
func (a Assignment) IsEscalation() bool { return a.Reason == "sla_breach" || a.Reason == "escalation" }

// Deadlines is the SLA service's view of a ticket's deadlines.
type Deadlines struct {
	Tenant, TicketID     string
	Response, Resolution *time.Time
	Revision             int64
}

// lockForService locks ticket id of tenant for an internal update.
func lockForService(ctx context.Context, tx pgx.Tx, tenant, id string, cols string, dst ...any) error {
	err := tx.QueryRow(ctx, `SELECT `+cols+` FROM ticket.tickets WHERE id = $1 AND tenant = $2 FOR UPDATE`, id, tenant).Scan(dst...)
	if pg.IsNoRows(err) {
		return notFound()
	}
	if err != nil {
		return fmt.Errorf("lock ticket: %w", err)
	}
	return nil
}

// appendSystemHistory bumps the ticket's history sequence and appends h,
// under a new event id unless h names one.
func (s *Store) appendSystemHistory(ctx context.Context, tx pgx.Tx, id string, now time.Time, h domain.HistoryEntry) error {
	var t domain.Ticket
	var cat string
	if err := tx.QueryRow(ctx, `UPDATE ticket.tickets SET update_time = $2, history_seq = history_seq + 1
		WHERE id = $1 RETURNING history_seq, tenant, category`, id, now).Scan(&h.Sequence, &t.Tenant, &cat); err != nil {
		return fmt.Errorf("bump history: %w", err)
	}
	t.ID, t.Category = id, domain.Category(cat)
	h.TicketID, h.Actor, h.CreateTime = id, domain.ActorSystem, now
	if h.EventID == "" {
		h.EventID = uuid.NewString()
	}
	return s.insertHistory(ctx, tx, t, h)
}

// RecordAssignment mirrors a routing assignment onto the ticket unless it is
// the one already recorded or older than it; it reports whether it applied.
func (s *Store) RecordAssignment(ctx context.Context, v domain.Viewer, a Assignment) (bool, error) {
	applied := false
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		var current string
		var at *time.Time
		if err := lockForService(ctx, tx, a.Tenant, a.TicketID, "assignment_id, assign_time", &current, &at); err != nil {
			return err
		}
		if current == a.AssignmentID || (at != nil && a.AssignTime.Before(*at)) {
			return nil
		}
		applied = true
		now := s.timestamp()
		if _, err := tx.Exec(ctx, `UPDATE ticket.tickets SET assignment_id = $2, assign_time = $3,
				assigned_team_id = $4, assigned_team_name = $5, assigned_person_id = $6, assignment_reason = $7,
				escalated_at = CASE WHEN $8 THEN $3 ELSE escalated_at END,
				escalation_reason = CASE WHEN $8 THEN $7 ELSE escalation_reason END,
				escalation_level = CASE WHEN $8 THEN greatest(escalation_level, $9) ELSE escalation_level END
			WHERE id = $1`, a.TicketID, a.AssignmentID, a.AssignTime, a.TeamID, a.TeamName, a.PersonID, a.Reason,
			a.IsEscalation(), a.EscalationLevel); err != nil {
			return fmt.Errorf("update assignment: %w", err)
		}
		kind := domain.HistoryAssigned
		if a.IsEscalation() {
			kind = domain.HistoryEscalated
		}
		detail := a.TeamName
		if detail == "" {
			detail = "triage"
		}
		return s.appendSystemHistory(ctx, tx, a.TicketID, now, domain.HistoryEntry{Kind: kind, Reason: a.Reason, Detail: detail})
	})
	if err != nil {
		return false, fmt.Errorf("store.RecordAssignment: %w", err)
	}
	return applied, nil
}

// RecordDeadlines mirrors SLA deadlines when d.Revision is newer than the
// recorded one; history gets an entry only when a deadline actually changed.
func (s *Store) RecordDeadlines(ctx context.Context, v domain.Viewer, d Deadlines) (bool, error) {
	applied := false
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		var rev int64
		var resp, res *time.Time
		if err := lockForService(ctx, tx, d.Tenant, d.TicketID, "deadlines_revision, response_deadline, resolution_deadline", &rev, &resp, &res); err != nil {
			return err
		}
		if d.Revision <= rev {
			return nil
		}
		applied = true
		if _, err := tx.Exec(ctx, `UPDATE ticket.tickets SET deadlines_revision = $2, response_deadline = $3,
			resolution_deadline = $4 WHERE id = $1`, d.TicketID, d.Revision, d.Response, d.Resolution); err != nil {
			return fmt.Errorf("update deadlines: %w", err)
		}
		if sameTime(resp, d.Response) && sameTime(res, d.Resolution) {
			return nil
		}
		return s.appendSystemHistory(ctx, tx, d.TicketID, s.timestamp(), domain.HistoryEntry{
			Kind: domain.HistoryDeadlinesSet, Detail: fmt.Sprintf("response=%s resolution=%s", fmtTime(d.Response), fmtTime(d.Resolution))})
	})
	if err != nil {
		return false, fmt.Errorf("store.RecordDeadlines: %w", err)
	}
	return applied, nil
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "none"
	}
	return t.UTC().Format(time.RFC3339)
}
