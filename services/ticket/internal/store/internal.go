package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// Locked is a ticket locked for an update by another service: its
// identity (id, tenant, category, reference), its status and assignment,
// what routing and SLA mirrored onto it last, and its history's sequence.
// ServiceWrites keeps it up to date as it queues changes of it, so a batch
// that changes one ticket twice sees its first change.
type Locked struct {
	Ticket     domain.Ticket
	Mirror     domain.Mirror
	HistorySeq int64
}

// LockForService locks ticket id of tenant for an update by another
// service (LockManyForService of one ticket).
func (s *Store) LockForService(ctx context.Context, tx pgx.Tx, tenant, id string) (domain.Ticket, domain.Mirror, error) {
	locked, err := s.LockManyForService(ctx, tx, tenant, []string{id})
	if err != nil {
		return domain.Ticket{}, domain.Mirror{}, err
	}
	l, ok := locked[id]
	if !ok {
		return domain.Ticket{ID: id, Tenant: tenant}, domain.Mirror{}, domain.ErrTicketNotFound
	}
	return l.Ticket, l.Mirror, nil
}

// LockManyForService locks the tickets ids of tenant for an update by
// another service, in id order (every batch locks in one order, so two
// batches never wait for each other in a circle), in one statement, and
// returns them by id; an id of no ticket of tenant is missing from the
// answer. The tenant filter is the query's own; the caller's scope,
// confined to the job's tenant, is the second wall.
func (s *Store) LockManyForService(ctx context.Context, tx pgx.Tx, tenant string, ids []string) (map[string]*Locked, error) {
	rows, err := tx.Query(ctx, `SELECT id::text, category, assignment_id, assign_time, deadlines_revision, response_deadline,
			resolution_deadline, reference, status, assigned_team_id, assigned_team_name, assigned_person_id, ward_code,
			priority, history_seq
		FROM ticket.tickets WHERE id = ANY($1::uuid[]) AND tenant = $2 ORDER BY id FOR UPDATE`, ids, tenant)
	if err != nil {
		return nil, fmt.Errorf("store.LockManyForService: %w", err)
	}
	defer rows.Close()
	locked := make(map[string]*Locked, len(ids))
	for rows.Next() {
		l := &Locked{Ticket: domain.Ticket{Tenant: tenant}}
		t, m := &l.Ticket, &l.Mirror
		var cat, status, priority string
		if err := rows.Scan(&t.ID, &cat, &m.AssignmentID, &m.AssignTime, &m.Revision, &m.Response, &m.Resolution,
			&t.Reference, &status, &t.AssignedTeamID, &t.AssignedTeamName, &t.AssignedPersonID, &t.WardCode, &priority,
			&l.HistorySeq); err != nil {
			return nil, fmt.Errorf("store.LockManyForService: %w", err)
		}
		t.Category, t.Status, t.Priority = domain.Category(cat), domain.Status(status), domain.Priority(priority)
		t.ResponseDeadline, t.ResolutionDeadline = m.Response, m.Resolution
		locked[t.ID] = l
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.LockManyForService: %w", err)
	}
	return locked, nil
}

// ServiceWrites are other services' changes of tickets locked with
// LockManyForService, queued and sent in one round trip by Send: a batch
// of them costs the same few round trips however many items it has. Each
// change of a ticket's row writes it once (every version of the row costs
// an entry in each of the table's indexes), with its history entry under
// the next sequence, which the lock makes the ticket's to give.
type ServiceWrites struct {
	s *Store
	b pgx.Batch
}

// NewServiceWrites returns an empty ServiceWrites.
func (s *Store) NewServiceWrites() *ServiceWrites { return &ServiceWrites{s: s} }

// Send sends the queued writes in tx. An update that matched no row (a
// ticket row-level security hides from the caller's scope) fails it.
func (w *ServiceWrites) Send(ctx context.Context, tx pgx.Tx) error {
	if w.b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, &w.b).Close(); err != nil {
		return fmt.Errorf("store.ServiceWrites: %w", err)
	}
	return nil
}

// one refuses an update that changed no row.
func one(what string) func(pgconn.CommandTag) error {
	return func(ct pgconn.CommandTag) error {
		if ct.RowsAffected() != 1 {
			return fmt.Errorf("%s: %w", what, domain.ErrTicketNotFound)
		}
		return nil
	}
}

// SetWard records the ward l's ticket was created in, unless it has one:
// the first ward routing tells is kept when the wards are redrawn.
func (w *ServiceWrites) SetWard(l *Locked, ward string) {
	w.b.Queue(`UPDATE ticket.tickets SET ward_code = $2 WHERE id = $1 AND ward_code = ''`, l.Ticket.ID, ward)
	if l.Ticket.WardCode == "" {
		l.Ticket.WardCode = ward
	}
}

// SetDeadlines mirrors SLA's deadlines d onto l's ticket, with no history
// entry (d changes no deadline, only their revision).
func (w *ServiceWrites) SetDeadlines(l *Locked, d domain.Deadlines) {
	w.b.Queue(`UPDATE ticket.tickets SET deadlines_revision = $2, response_deadline = $3, resolution_deadline = $4
		WHERE id = $1`, l.Ticket.ID, d.Revision, d.Response, d.Resolution).Exec(one("SetDeadlines"))
	l.mirrorDeadlines(d)
}

// SetDeadlinesWithHistory is SetDeadlines with h appended to the
// ticket's history (as AppendHistory); it returns h as written.
func (w *ServiceWrites) SetDeadlinesWithHistory(l *Locked, d domain.Deadlines, h domain.HistoryEntry) (domain.HistoryEntry, error) {
	h.Sequence, h.TicketID = l.HistorySeq+1, l.Ticket.ID
	args, err := w.s.historyArgs(l.Ticket, h)
	if err != nil {
		return h, fmt.Errorf("store.SetDeadlinesWithHistory: %w", err)
	}
	w.b.Queue(`UPDATE ticket.tickets SET deadlines_revision = $2, response_deadline = $3,
			resolution_deadline = $4, update_time = $5, history_seq = $6
		WHERE id = $1`, l.Ticket.ID, d.Revision, d.Response, d.Resolution, h.CreateTime, h.Sequence).
		Exec(one("SetDeadlinesWithHistory"))
	w.b.Queue(historyInsert, args...)
	l.HistorySeq = h.Sequence
	l.mirrorDeadlines(d)
	return h, nil
}

// SetAssignmentWithHistory mirrors routing's assignment a onto l's ticket
// (an escalation also sets when and why the ticket was escalated and
// raises its level), records a's ward when ward and the ticket has none
// (as SetWard), and appends h to its history (as AppendHistory), all in
// one update of the ticket's row; it returns h as written.
func (w *ServiceWrites) SetAssignmentWithHistory(l *Locked, a domain.Assignment, ward bool,
	h domain.HistoryEntry) (domain.HistoryEntry, error) {
	h.Sequence, h.TicketID = l.HistorySeq+1, l.Ticket.ID
	if ward && l.Ticket.WardCode == "" {
		l.Ticket.WardCode = a.WardCode
	}
	// The entry is sealed against the ticket as it is after the change,
	// as the entry the update returned was.
	args, err := w.s.historyArgs(l.Ticket, h)
	if err != nil {
		return h, fmt.Errorf("store.SetAssignmentWithHistory: %w", err)
	}
	w.b.Queue(`UPDATE ticket.tickets SET assignment_id = $2, assign_time = $3,
			assigned_team_id = $4, assigned_team_name = $5, assigned_person_id = $6, assignment_reason = $7,
			escalated_at = CASE WHEN $8 THEN $3 ELSE escalated_at END,
			escalation_reason = CASE WHEN $8 THEN $7 ELSE escalation_reason END,
			escalation_level = CASE WHEN $8 THEN greatest(escalation_level, $9) ELSE escalation_level END,
			ward_code = CASE WHEN $10 AND ward_code = '' THEN $11 ELSE ward_code END,
			update_time = $12, history_seq = $13
		WHERE id = $1`, a.TicketID, a.AssignmentID, a.AssignTime, a.TeamID, a.TeamName, a.PersonID, a.Reason,
		a.IsEscalation(), a.EscalationLevel, ward, a.WardCode, h.CreateTime, h.Sequence).Exec(one("SetAssignmentWithHistory"))
	w.b.Queue(historyInsert, args...)
	l.HistorySeq = h.Sequence
	at := a.AssignTime
	l.Mirror.AssignmentID, l.Mirror.AssignTime = a.AssignmentID, &at
	l.Ticket.AssignedTeamID, l.Ticket.AssignedTeamName, l.Ticket.AssignedPersonID = a.TeamID, a.TeamName, a.PersonID
	return h, nil
}

// mirrorDeadlines keeps d as l's recorded deadlines.
func (l *Locked) mirrorDeadlines(d domain.Deadlines) {
	l.Mirror.Revision, l.Mirror.Response, l.Mirror.Resolution = d.Revision, d.Response, d.Resolution
	l.Ticket.ResponseDeadline, l.Ticket.ResolutionDeadline = d.Response, d.Resolution
}
