package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// NewEvent is an event to record and, with a created event, its
// reporter (nil otherwise).
type NewEvent struct {
	Event    domain.Event
	Reporter *domain.Reporter
}

// RecordEvents records each of evs once, in their order, in one round
// trip: the ticket as the event tells it (created by the first event heard
// of, its status moved only by a later event: events arrive in any
// order), then, in one statement, the event and, when the event is new,
// its reporter (a GBV reporter's contact sealed, the plaintext columns
// empty). It reports, per event, whether it was new.
func (s *Store) RecordEvents(ctx context.Context, tx pgx.Tx, evs []NewEvent, now time.Time) ([]bool, error) {
	applied := make([]bool, len(evs))
	b := &pgx.Batch{}
	for i, ne := range evs {
		ev := ne.Event
		b.Queue(saveTicketSQL, ev.TicketID, ev.Tenant, ev.Reference, ev.Category, ev.To, ev.ReporterSubject, ev.OccurTime)
		rep, err := s.reporterArgs(ne.Reporter)
		if err != nil {
			return nil, fmt.Errorf("store.RecordEvents: %w", err)
		}
		args := append([]any{ev.ID, ev.Tenant, ev.TicketID, ev.IsGBV(), string(ev.Kind), ev.From, ev.To, ev.TeamID, ev.TeamName,
			ev.PersonID, ev.AssignmentReason, ev.EscalationLevel, ev.Clock, ev.Deadline, ev.Note, ev.Sequence, ev.OccurTime, now,
			ev.Followers}, rep...)
		b.Queue(recordEventSQL, args...).QueryRow(func(row pgx.Row) error {
			var n int
			if err := row.Scan(&n); err != nil {
				return err
			}
			applied[i] = n == 1
			return nil
		})
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("store.RecordEvents: %w", err)
	}
	return applied, nil
}

// saveTicketSQL records what an event says of its ticket.
const saveTicketSQL = `INSERT INTO notify.tickets (id, tenant, reference, category, status, reporter_subject, create_time, update_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
		ON CONFLICT (id) DO UPDATE SET
		  status = CASE WHEN excluded.update_time >= notify.tickets.update_time AND excluded.status <> '' THEN excluded.status ELSE notify.tickets.status END,
		  reporter_subject = CASE WHEN excluded.reporter_subject <> '' THEN excluded.reporter_subject ELSE notify.tickets.reporter_subject END,
		  update_time = greatest(notify.tickets.update_time, excluded.update_time)`

// recordEventSQL records an event once and, when it is new and $31 is
// true, its reporter ($20 to $30); it returns 1 for a new event, else 0.
const recordEventSQL = `WITH e AS (
		INSERT INTO notify.events (id, tenant, ticket_id, gbv, kind, from_status, to_status, team_id, team_name,
			person_id, assignment_reason, escalation_level, clock, deadline, note, sequence, occur_time, create_time, followers)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, coalesce($19::uuid[], '{}'))
		ON CONFLICT (id) DO NOTHING
		RETURNING ticket_id),
	r AS (
		INSERT INTO notify.reporters (ticket_id, tenant, gbv, subject, name, phone, email, sealed, sealed_key_id,
			sealed_nonce, language, channels, gbv_safe, create_time, update_time)
		SELECT e.ticket_id, $2, $20::boolean, $21::text, $22::text, $23::text, $24::text, $25::bytea, $26::text,
			$27::bytea, $28::text, $29::text[], $30::text, $18, $18
		FROM e WHERE $31::boolean
		ON CONFLICT (ticket_id) DO NOTHING)
	SELECT count(*)::int FROM e`

// ReadToPlan reads, in one round trip, events ids of tenant, each with
// its ticket's reference, category and reporter subject, and the
// reporter as GetReporter reads it for tenant's worker (nil when none is
// recorded), and tenant's settings (GetSettings). An event never recorded
// is ErrTicketNotFound.
func (s *Store) ReadToPlan(ctx context.Context, tx pgx.Tx, tenant string, ids []string) ([]domain.Event, []*domain.Reporter, domain.Settings, error) {
	evs, reps := make([]domain.Event, len(ids)), make([]*domain.Reporter, len(ids))
	b := &pgx.Batch{}
	for i, id := range ids {
		b.Queue(eventToPlanSQL, id, tenant).QueryRow(func(row pgx.Row) error {
			var err error
			evs[i], reps[i], err = s.scanEventToPlan(row)
			if pg.IsNoRows(err) {
				return fmt.Errorf("event %s: %w", id, domain.ErrTicketNotFound)
			}
			return err
		})
	}
	var st domain.Settings
	b.Queue(settingsSQL, tenant).Query(func(rows pgx.Rows) error {
		var err error
		st, err = collectSettings(rows, nil, tenant)
		return err
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, st, fmt.Errorf("store.ReadToPlan: %w", err)
	}
	return evs, reps, st, nil
}

// eventToPlanSQL reads event $1 with its ticket and the reporter of
// tenant $2 recorded for it, if any.
const eventToPlanSQL = `SELECT e.id::text, e.tenant, e.ticket_id::text, t.reference, t.category, e.kind, e.from_status, e.to_status,
		e.team_id, e.team_name, e.person_id, e.assignment_reason, e.escalation_level, e.clock, e.deadline, e.note, e.sequence,
		e.occur_time, t.reporter_subject, e.followers::text[],
		rp.ticket_id IS NOT NULL, coalesce(rp.gbv, false), coalesce(rp.subject, ''), coalesce(rp.name, ''), coalesce(rp.phone, ''),
		coalesce(rp.email, ''), rp.sealed, rp.sealed_key_id, rp.sealed_nonce, coalesce(rp.language, ''), coalesce(rp.channels, '{}'),
		coalesce(rp.gbv_safe, '')
	FROM notify.events e JOIN notify.tickets t ON t.id = e.ticket_id
		LEFT JOIN notify.reporters rp ON rp.ticket_id = e.ticket_id AND rp.tenant = $2
	WHERE e.id = $1`

// scanEventToPlan scans a row of eventToPlanSQL.
func (s *Store) scanEventToPlan(row pgx.Row) (domain.Event, *domain.Reporter, error) {
	var (
		ev            domain.Event
		kind          string
		deadline      *time.Time
		found         bool
		r             domain.Reporter
		lang, safe    string
		chs           []string
		sealed, nonce []byte
		keyID         *string
	)
	err := row.Scan(&ev.ID, &ev.Tenant, &ev.TicketID, &ev.Reference, &ev.Category, &kind, &ev.From, &ev.To, &ev.TeamID, &ev.TeamName,
		&ev.PersonID, &ev.AssignmentReason, &ev.EscalationLevel, &ev.Clock, &deadline, &ev.Note, &ev.Sequence, &ev.OccurTime,
		&ev.ReporterSubject, &ev.Followers,
		&found, &r.GBV, &r.Subject, &r.Contact.Name, &r.Contact.Phone, &r.Contact.Email, &sealed, &keyID, &nonce, &lang, &chs, &safe)
	if err != nil {
		return ev, nil, err
	}
	ev.Kind, ev.Deadline, ev.OccurTime = domain.Kind(kind), utc(deadline), ev.OccurTime.UTC()
	if !found {
		return ev, nil, nil
	}
	r.Tenant, r.TicketID = ev.Tenant, ev.TicketID
	if err := s.openReporter(&r, lang, safe, chs, sealed, nonce, keyID); err != nil {
		return ev, nil, fmt.Errorf("reporter of %s: %w", ev.TicketID, err)
	}
	return ev, &r, nil
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
