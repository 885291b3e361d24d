package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

const assignmentCols = `a.id::text, a.tenant, a.ticket_id::text, a.category, coalesce(a.team_id::text, ''),
	coalesce(t.name, ''), a.person_id, a.assigned_by, a.reason, a.note, a.escalation_level, a.is_current, a.created_at,
	a.note_sealed, a.note_key_id, a.note_nonce`

const assignmentFrom = ` FROM routing.assignments a LEFT JOIN routing.teams t ON t.id = a.team_id `

// routingReasons are the reasons of the one routing assignment per ticket.
var routingReasons = []string{string(word.ReasonGeospatial), string(word.ReasonFallbackNearest), string(word.ReasonTriage)}

// InsertAssignment appends a to the history; when a.IsCurrent it must be
// called after ClearCurrent. The note of a GBV assignment is sealed (see
// sealNote) and returned open. ON CONFLICT DO NOTHING lets the
// unique indexes arbitrate races: inserted is false when a concurrent
// transaction already stored the same routing or escalation, and nothing
// was written. A GBV assignment to a team that is not a SAPS team of the
// tenant is refused by the database (domain.ErrGBVOutsideSAPS).
func (s *Store) InsertAssignment(ctx context.Context, tx pgx.Tx, a domain.Assignment, decision *domain.Decision) (domain.Assignment, bool, error) {
	var decisionJSON []byte
	if decision != nil {
		var err error
		if decisionJSON, err = json.Marshal(decision); err != nil {
			return domain.Assignment{}, false, fmt.Errorf("store.InsertAssignment: %w", err)
		}
	}
	a.ID = uuid.NewString()
	note, sealed, err := s.sealNote(a)
	if err != nil {
		return domain.Assignment{}, false, fmt.Errorf("store.InsertAssignment: %w", err)
	}
	rows, err := tx.Query(ctx, `WITH a AS (
		INSERT INTO routing.assignments (id, tenant, ticket_id, category, team_id, person_id, assigned_by,
			reason, note, escalation_level, is_current, decision, note_sealed, note_key_id, note_nonce)
		VALUES ($1, $2, $3, $4, nullif($5, '')::uuid, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT DO NOTHING RETURNING *)
		SELECT `+assignmentCols+` FROM a LEFT JOIN routing.teams t ON t.id = a.team_id`,
		a.ID, a.Tenant, a.TicketID, string(a.Category), a.TeamID, a.PersonID, a.AssignedBy,
		string(a.Reason), note, a.EscalationLevel, a.IsCurrent, decisionJSON,
		sealed.Ciphertext, sealed.keyID(), sealed.Nonce)
	if err != nil {
		return domain.Assignment{}, false, interpretError("store.InsertAssignment", err, nil)
	}
	got, err := pgx.CollectRows(rows, scanAssignment)
	if err != nil {
		return domain.Assignment{}, false, interpretError("store.InsertAssignment", err, nil)
	}
	if len(got) == 0 {
		return domain.Assignment{}, false, nil
	}
	got[0].Note = a.Note
	return got[0], true, nil
}

// routingAssignmentSQL reads a ticket's routing assignment and its stored
// decision ($1 the ticket, $2 routingReasons).
const routingAssignmentSQL = `SELECT ` + assignmentCols + `, a.decision` + assignmentFrom + `
	WHERE a.ticket_id = $1 AND a.reason = ANY ($2)`

// RoutingAssignment returns the ticket's routing assignment and the decision
// stored with it; found is false when the ticket was not routed yet.
func (s *Store) RoutingAssignment(ctx context.Context, tx pgx.Tx, ticketID string) (a domain.Assignment, d domain.Decision, found bool, err error) {
	rows, err := tx.Query(ctx, routingAssignmentSQL, ticketID, routingReasons)
	if err != nil {
		return a, d, false, fmt.Errorf("store.RoutingAssignment: %w", err)
	}
	return collectRouting(rows)
}

func collectRouting(rows pgx.Rows) (a domain.Assignment, d domain.Decision, found bool, err error) {
	var raw []byte
	got, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Assignment, error) {
		return scanAssignmentWith(row, &raw)
	})
	if err != nil || len(got) == 0 {
		return a, d, false, interpretError("store.RoutingAssignment", err, nil)
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &d); err != nil {
			return a, d, false, fmt.Errorf("store.RoutingAssignment: decode decision: %w", err)
		}
	}
	return got[0], d, true, nil
}

// RouteLookup is what RouteTicket reads before it decides: the ticket's
// routing assignment, if it has one (Found), the candidates for its
// query, whether it has a current assignment already, and the ward at its
// point (QueueWardAt; "" when none).
type RouteLookup struct {
	Assignment domain.Assignment
	Decision   domain.Decision
	Found      bool
	Candidates domain.Candidates
	HasCurrent bool
	WardCode   string
}

// LookUpRoute runs QueueRouteLookup's reads in tx in one round trip.
func (s *Store) LookUpRoute(ctx context.Context, tx pgx.Tx, ticketID string, q domain.RouteQuery, wardAt time.Time) (RouteLookup, error) {
	var l RouteLookup
	b := &pgx.Batch{}
	s.QueueRouteLookup(b, ticketID, q, wardAt, &l)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return RouteLookup{}, fmt.Errorf("store.LookUpRoute: %w", err)
	}
	return l, nil
}

// QueueRouteLookup adds to b (for pg.InTxReading, or a batch of its own)
// RoutingAssignment, QueueCandidates, HasCurrent and QueueWardAt (at wardAt) for
// ticketID and q: they do not depend on each other, and the candidates
// and ward go unused when the ticket was routed before. l is reset now and
// filled when the batch is read.
func (s *Store) QueueRouteLookup(b *pgx.Batch, ticketID string, q domain.RouteQuery, wardAt time.Time, l *RouteLookup) {
	*l = RouteLookup{}
	b.Queue(routingAssignmentSQL, ticketID, routingReasons).Query(func(rows pgx.Rows) error {
		var err error
		l.Assignment, l.Decision, l.Found, err = collectRouting(rows)
		return err
	})
	s.QueueCandidates(b, q, &l.Candidates)
	b.Queue(hasCurrentSQL, ticketID).QueryRow(func(row pgx.Row) error { return row.Scan(&l.HasCurrent) })
	s.QueueWardAt(b, q.Tenant, q.Lat, q.Lng, wardAt, &l.WardCode)
}

// LockCurrent returns the ticket's current assignment, locked FOR UPDATE so
// that reassignments and escalations of one ticket run one at a time;
// domain.ErrTicketNotFound when it has none the caller's scope sees.
//
// Under read committed, a lock that waited on a row another transaction
// has just made non-current returns nothing; a second statement sees the
// newly committed current row, so it looks once more before giving up.
func (s *Store) LockCurrent(ctx context.Context, tx pgx.Tx, ticketID string) (domain.Assignment, error) {
	a, err := lockCurrent(ctx, tx, ticketID)
	if errors.Is(err, domain.ErrTicketNotFound) {
		a, err = lockCurrent(ctx, tx, ticketID)
	}
	return a, err
}

func lockCurrent(ctx context.Context, tx pgx.Tx, ticketID string) (domain.Assignment, error) {
	if !domain.IsID(ticketID) {
		return domain.Assignment{}, fmt.Errorf("store.LockCurrent: %w", domain.ErrTicketNotFound)
	}
	rows, err := tx.Query(ctx, `SELECT `+assignmentCols+assignmentFrom+`
		WHERE a.ticket_id = $1 AND a.is_current FOR UPDATE OF a`, ticketID)
	if err != nil {
		return domain.Assignment{}, fmt.Errorf("store.LockCurrent: %w", err)
	}
	got, err := pgx.CollectRows(rows, scanAssignment)
	if err != nil {
		return domain.Assignment{}, fmt.Errorf("store.LockCurrent: %w", err)
	}
	if len(got) == 0 {
		return domain.Assignment{}, fmt.Errorf("store.LockCurrent: %w", domain.ErrTicketNotFound)
	}
	return got[0], nil
}

// EscalationAt returns the ticket's escalation of the given level; found
// is false when there is none yet.
func (s *Store) EscalationAt(ctx context.Context, tx pgx.Tx, ticketID string, level int32) (domain.Assignment, bool, error) {
	rows, err := tx.Query(ctx, `SELECT `+assignmentCols+assignmentFrom+`
		WHERE a.ticket_id = $1 AND a.escalation_level = $2 AND a.reason IN ('escalation', 'sla_breach')`,
		ticketID, level)
	if err != nil {
		return domain.Assignment{}, false, fmt.Errorf("store.EscalationAt: %w", err)
	}
	got, err := pgx.CollectRows(rows, scanAssignment)
	if err != nil || len(got) == 0 {
		return domain.Assignment{}, false, interpretError("store.EscalationAt", err, nil)
	}
	return got[0], true, nil
}

// ClearCurrent marks the ticket's current assignment as no longer current.
func (s *Store) ClearCurrent(ctx context.Context, tx pgx.Tx, ticketID string) error {
	if _, err := tx.Exec(ctx, `UPDATE routing.assignments SET is_current = false
		WHERE ticket_id = $1 AND is_current`, ticketID); err != nil {
		return fmt.Errorf("store.ClearCurrent: %w", err)
	}
	return nil
}

// HasCurrent reports whether the ticket has a current assignment.
func (s *Store) HasCurrent(ctx context.Context, tx pgx.Tx, ticketID string) (bool, error) {
	var ok bool
	if err := tx.QueryRow(ctx, hasCurrentSQL, ticketID).Scan(&ok); err != nil {
		return false, fmt.Errorf("store.HasCurrent: %w", err)
	}
	return ok, nil
}

// hasCurrentSQL is whether ticket $1 has a current assignment.
const hasCurrentSQL = `SELECT EXISTS (SELECT 1 FROM routing.assignments WHERE ticket_id = $1 AND is_current)`

func scanAssignment(row pgx.CollectableRow) (domain.Assignment, error) {
	return scanAssignmentWith(row)
}

func scanAssignmentWith(row pgx.CollectableRow, extra ...any) (domain.Assignment, error) {
	var a domain.Assignment
	var category, reason string
	var ciphertext, nonce []byte
	var keyID *string
	dest := append([]any{&a.ID, &a.Tenant, &a.TicketID, &category, &a.TeamID, &a.TeamName, &a.PersonID,
		&a.AssignedBy, &reason, &a.Note, &a.EscalationLevel, &a.IsCurrent, &a.CreatedAt,
		&ciphertext, &keyID, &nonce}, extra...)
	if err := row.Scan(dest...); err != nil {
		return a, err
	}
	a.Category, a.Reason = domain.Category(category), domain.Reason(reason)
	if keyID != nil {
		a.SealedNote = &domain.SealedNote{KeyID: *keyID, Nonce: nonce, Ciphertext: ciphertext}
	}
	return a, nil
}
