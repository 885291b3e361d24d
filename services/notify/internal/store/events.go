package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// SaveTicket records what ev says of its ticket: created by the first
// event heard of, its status moved only by a later event (events arrive
// in any order).
func (s *Store) SaveTicket(ctx context.Context, tx pgx.Tx, ev domain.Event) error {
	_, err := tx.Exec(ctx, `INSERT INTO notify.tickets (id, tenant, reference, category, status, reporter_subject, create_time, update_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
		ON CONFLICT (id) DO UPDATE SET
		  status = CASE WHEN excluded.update_time >= notify.tickets.update_time AND excluded.status <> '' THEN excluded.status ELSE notify.tickets.status END,
		  reporter_subject = CASE WHEN excluded.reporter_subject <> '' THEN excluded.reporter_subject ELSE notify.tickets.reporter_subject END,
		  update_time = greatest(notify.tickets.update_time, excluded.update_time)`,
		ev.TicketID, ev.Tenant, ev.Reference, ev.Category, ev.To, ev.ReporterSubject, ev.OccurTime)
	if err != nil {
		return fmt.Errorf("store.SaveTicket: %w", err)
	}
	return nil
}

// InsertEvent records ev once, reporting whether it is new.
func (s *Store) InsertEvent(ctx context.Context, tx pgx.Tx, ev domain.Event, now time.Time) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO notify.events (id, tenant, ticket_id, gbv, kind, from_status, to_status, team_id, team_name,
			person_id, assignment_reason, escalation_level, clock, deadline, note, sequence, occur_time, create_time, followers)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, coalesce($19::uuid[], '{}'))
		ON CONFLICT (id) DO NOTHING`,
		ev.ID, ev.Tenant, ev.TicketID, ev.IsGBV(), string(ev.Kind), ev.From, ev.To, ev.TeamID, ev.TeamName, ev.PersonID,
		ev.AssignmentReason, ev.EscalationLevel, ev.Clock, ev.Deadline, ev.Note, ev.Sequence, ev.OccurTime, now, ev.Followers)
	if err != nil {
		return false, fmt.Errorf("store.InsertEvent: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// GetEvent returns event id with its ticket's reference and category.
func (s *Store) GetEvent(ctx context.Context, tx pgx.Tx, id string) (domain.Event, error) {
	var (
		ev       domain.Event
		kind     string
		deadline *time.Time
	)
	err := tx.QueryRow(ctx, `SELECT e.id::text, e.tenant, e.ticket_id::text, t.reference, t.category, e.kind, e.from_status, e.to_status,
			e.team_id, e.team_name, e.person_id, e.assignment_reason, e.escalation_level, e.clock, e.deadline, e.note, e.sequence,
			e.occur_time, t.reporter_subject, e.followers::text[]
		FROM notify.events e JOIN notify.tickets t ON t.id = e.ticket_id WHERE e.id = $1`, id).Scan(
		&ev.ID, &ev.Tenant, &ev.TicketID, &ev.Reference, &ev.Category, &kind, &ev.From, &ev.To, &ev.TeamID, &ev.TeamName,
		&ev.PersonID, &ev.AssignmentReason, &ev.EscalationLevel, &ev.Clock, &deadline, &ev.Note, &ev.Sequence, &ev.OccurTime,
		&ev.ReporterSubject, &ev.Followers)
	if pg.IsNoRows(err) {
		return ev, fmt.Errorf("store.GetEvent %s: %w", id, domain.ErrTicketNotFound)
	}
	if err != nil {
		return ev, fmt.Errorf("store.GetEvent: %w", err)
	}
	ev.Kind, ev.Deadline, ev.OccurTime = domain.Kind(kind), utc(deadline), ev.OccurTime.UTC()
	return ev, nil
}

// GetTicket returns what notify knows of ticket id, as v lets the caller
// see it: ErrTicketNotFound for a ticket never heard of and for a GBV
// ticket the caller may not see alike.
func (s *Store) GetTicket(ctx context.Context, tx pgx.Tx, id string, v domain.Visibility) (domain.Ticket, error) {
	var t domain.Ticket
	err := tx.QueryRow(ctx, `SELECT id::text, tenant, reference, category, gbv, status FROM notify.tickets
		WHERE id = $1 AND ($2 OR tenant = $3) AND ($4 OR NOT gbv)`, id, v.AllTenants, v.Tenant, v.GBV).Scan(
		&t.ID, &t.Tenant, &t.Reference, &t.Category, &t.GBV, &t.Status)
	if pg.IsNoRows(err) {
		return t, domain.ErrTicketNotFound
	}
	if err != nil {
		return t, fmt.Errorf("store.GetTicket: %w", err)
	}
	return t, nil
}
