package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// NearbySearch is a nearby search as the store runs it: the query (its
// radius, or 0 for the municipality's for the audience), the oldest
// resolve time of a resolved ticket it returns, and a ticket to leave out
// ("" for none).
type NearbySearch struct {
	Query         domain.NearbyQuery
	Audience      domain.NearbyAudience
	ResolvedSince time.Time
	Exclude       string
}

// NearbyResult is what a nearby search found, nearest first, and the
// radius it used (0: suggestions are off for the category, and none
// were looked for).
type NearbyResult struct {
	Tickets []domain.NearbyTicket
	Meters  float64
}

// nearbySQL reads the radius (the query's, else the municipality's for
// the category and audience from its settings, else the audience's
// default) and, unless it is 0, searches through ticket.nearby_tickets,
// whose GIST index row-level security would keep from the query
// (migrations 00014, 00022); the function keeps the tenant wall and never
// returns a GBV ticket. One row per ticket, or one without a ticket.
const nearbySQL = `WITH r AS (
		SELECT CASE WHEN $8::float8 > 0 THEN $8::float8 ELSE coalesce((
			SELECT (x->>$9::text)::float8 FROM ticket.duplicate_settings s, jsonb_array_elements(s.radii) x
			WHERE s.tenant = $1 AND x->>'category' = $2), $10::float8) END AS meters)
	SELECT r.meters, n.id::text, n.reference, n.status, n.lat, n.lng, n.linked_count, n.create_time, n.distance
	FROM r LEFT JOIN LATERAL ticket.nearby_tickets($1, $2, $3, $4, r.meters, $5, $6::uuid, $7) n ON r.meters > 0
	ORDER BY n.distance, n.id`

// nearbyArgs are nearbySQL's arguments for s.
func nearbyArgs(s NearbySearch) []any {
	var ex *string
	if s.Exclude != "" {
		ex = &s.Exclude
	}
	q := s.Query
	return []any{q.Tenant, string(q.Category), q.Location.Lng, q.Location.Lat, s.ResolvedSince, ex, q.Size,
		q.Meters, s.Audience.Key, s.Audience.Default}
}

// scanNearby reads nearbySQL's rows into r.
func scanNearby(rows pgx.Rows, category domain.Category, r *NearbyResult) error {
	defer rows.Close()
	for rows.Next() {
		var (
			id, reference, status *string
			n                     domain.NearbyTicket
			lat, lng, meters      *float64
			linked                *int32
			created               *time.Time
		)
		if err := rows.Scan(&r.Meters, &id, &reference, &status, &lat, &lng, &linked, &created, &meters); err != nil {
			return err
		}
		if id == nil {
			continue
		}
		n.ID, n.Reference, n.Status, n.Category = *id, *reference, domain.Status(*status), category
		n.Location.Lat, n.Location.Lng, n.LinkedCount, n.CreateTime, n.Meters = *lat, *lng, *linked, created.UTC(), *meters
		r.Tickets = append(r.Tickets, n)
	}
	return rows.Err()
}

// QueueNearbyTickets adds search to b (for pg.Read, or beside a
// create's writes): up to s.Query.Size tickets of its category in its
// tenant within the radius of its point, nearest first, open work and
// tickets resolved at or after s.ResolvedSince; the answer lands in r
// when the batch is read.
func (s *Store) QueueNearbyTickets(b *pgx.Batch, search NearbySearch, r *NearbyResult) {
	b.Queue(nearbySQL, nearbyArgs(search)...).Query(func(rows pgx.Rows) error {
		if err := scanNearby(rows, search.Query.Category, r); err != nil {
			return fmt.Errorf("store.QueueNearbyTickets: %w", err)
		}
		return nil
	})
}

// duplicateSettingsSQL reads a tenant's settings.
const duplicateSettingsSQL = `SELECT radii, keywords FROM ticket.duplicate_settings WHERE tenant = $1`

// GetDuplicateSettings reads tenant's settings; a municipality that never
// set any has none (the defaults apply).
func (s *Store) GetDuplicateSettings(ctx context.Context, tx pgx.Tx, tenant string) (domain.DuplicateSettings, error) {
	ds, err := scanDuplicateSettings(tx.QueryRow(ctx, duplicateSettingsSQL, tenant), tenant)
	if err != nil {
		return ds, fmt.Errorf("store.GetDuplicateSettings: %w", err)
	}
	return ds, nil
}

// QueueDuplicateSettings adds GetDuplicateSettings's read to b (for
// pg.InTxReading or pg.Read); the settings land in ds when the batch is
// read.
func (s *Store) QueueDuplicateSettings(b *pgx.Batch, tenant string, ds *domain.DuplicateSettings) {
	b.Queue(duplicateSettingsSQL, tenant).QueryRow(func(row pgx.Row) error {
		var err error
		if *ds, err = scanDuplicateSettings(row, tenant); err != nil {
			return fmt.Errorf("store.QueueDuplicateSettings: %w", err)
		}
		return nil
	})
}

// scanDuplicateSettings reads duplicateSettingsSQL's row of tenant; no
// row is the defaults.
func scanDuplicateSettings(row pgx.Row, tenant string) (domain.DuplicateSettings, error) {
	ds := domain.DuplicateSettings{Tenant: tenant}
	var radii, keywords []byte
	err := row.Scan(&radii, &keywords)
	if pg.IsNoRows(err) {
		return ds, nil
	}
	if err != nil {
		return ds, err
	}
	if err := json.Unmarshal(radii, &ds.Radii); err != nil {
		return ds, fmt.Errorf("radii: %w", err)
	}
	if err := json.Unmarshal(keywords, &ds.Keywords); err != nil {
		return ds, fmt.Errorf("keywords: %w", err)
	}
	return ds, nil
}

// SetDuplicateSettings replaces ds.Tenant's settings.
func (s *Store) SetDuplicateSettings(ctx context.Context, tx pgx.Tx, ds domain.DuplicateSettings, by string, now time.Time) error {
	radii, keywords := ds.Radii, ds.Keywords
	if radii == nil {
		radii = []domain.NearbyRadius{}
	}
	if keywords == nil {
		keywords = []domain.PriorityKeyword{}
	}
	r, _ := json.Marshal(radii) // plain structs: cannot fail
	k, _ := json.Marshal(keywords)
	if _, err := tx.Exec(ctx, `INSERT INTO ticket.duplicate_settings (tenant, radii, keywords, updated_by, update_time)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant) DO UPDATE
		SET radii = excluded.radii, keywords = excluded.keywords, updated_by = excluded.updated_by, update_time = excluded.update_time`,
		ds.Tenant, r, k, by, now); err != nil {
		return fmt.Errorf("store.SetDuplicateSettings: %w", err)
	}
	return nil
}

// SaveDuplicate writes child's duplicate columns and status after a link
// or an unlink and advances its history sequence, returning the sequence
// of the entry that records it.
func (s *Store) SaveDuplicate(ctx context.Context, tx pgx.Tx, child domain.Ticket) (int64, error) {
	var parent *string
	if child.DuplicateOf != "" {
		parent = &child.DuplicateOf
	}
	var seq int64
	err := tx.QueryRow(ctx, `UPDATE ticket.tickets SET status = $2, duplicate_of = $3::uuid, pre_duplicate_status = $4,
			close_time = $5, update_time = $6, history_seq = history_seq + 1
		WHERE id = $1 RETURNING history_seq`,
		child.ID, string(child.Status), parent, string(child.PreDuplicateStatus), child.CloseTime, child.UpdateTime).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("store.SaveDuplicate: %w", err)
	}
	return seq, nil
}

// SaveCounts writes t's linked and follower counts.
func (s *Store) SaveCounts(ctx context.Context, tx pgx.Tx, t domain.Ticket) error {
	if _, err := tx.Exec(ctx, `UPDATE ticket.tickets SET linked_count = $2, follower_count = $3 WHERE id = $1`,
		t.ID, t.LinkedCount, t.FollowerCount); err != nil {
		return fmt.Errorf("store.SaveCounts: %w", err)
	}
	return nil
}

// SavePriority writes t's priority columns.
func (s *Store) SavePriority(ctx context.Context, tx pgx.Tx, t domain.Ticket) error {
	if _, err := tx.Exec(ctx, `UPDATE ticket.tickets SET priority = $2, suggested_priority = $3, priority_by_staff = $4 WHERE id = $1`,
		t.ID, string(t.Priority), string(t.SuggestedPriority), t.PriorityByStaff); err != nil {
		return fmt.Errorf("store.SavePriority: %w", err)
	}
	return nil
}

// Follower sources.
const (
	FollowSelf      = "follow"
	FollowDuplicate = "duplicate"
)

// AddFollower makes subject a follower of t, by source, reached through
// the reporter of ticket contact ("" for none), and reports whether they
// were not one already.
func (s *Store) AddFollower(ctx context.Context, tx pgx.Tx, t domain.Ticket, subject, source, contact string, now time.Time) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO ticket.followers (ticket_id, tenant, gbv, subject, source, contact_ticket_id, create_time)
		VALUES ($1, $2, $3, $4, $5, nullif($6, '')::uuid, $7) ON CONFLICT DO NOTHING`,
		t.ID, t.Tenant, t.IsGBV(), subject, source, contact, now)
	if err != nil {
		return false, fmt.Errorf("store.AddFollower: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// RemoveFollower removes subject from t's followers when source made them
// one, and reports whether it did.
func (s *Store) RemoveFollower(ctx context.Context, tx pgx.Tx, t domain.Ticket, subject, source string) (bool, error) {
	tag, err := tx.Exec(ctx, `DELETE FROM ticket.followers WHERE ticket_id = $1 AND subject = $2 AND source = $3`, t.ID, subject, source)
	if err != nil {
		return false, fmt.Errorf("store.RemoveFollower: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// MaxFollowerTickets is how many follower tickets an event names at most
// (the notification service's bound).
const MaxFollowerTickets = 5000

// LatestOwnReport is the id of subject's latest report in tenant other
// than ticket not, GBV reports left out; "" when they have none.
func (s *Store) LatestOwnReport(ctx context.Context, tx pgx.Tx, tenant, subject, not string) (string, error) {
	var id string
	err := tx.QueryRow(ctx, `SELECT id::text FROM ticket.tickets
		WHERE tenant = $1 AND reporter_subject = $2 AND id <> $3 AND category <> 'gbv'
		ORDER BY create_time DESC, id LIMIT 1`, tenant, subject, not).Scan(&id)
	if pg.IsNoRows(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store.LatestOwnReport: %w", err)
	}
	return id, nil
}

// FollowerTickets are the tickets whose reporters follow t, whose contact
// and preferences the notification service holds: the duplicates linked
// to it and the report each follower is reached through (AddFollower's
// contact); never GBV reports, none for a GBV ticket, and not those of
// t's own reporter.
func (s *Store) FollowerTickets(ctx context.Context, tx pgx.Tx, t domain.Ticket) ([]string, error) {
	if t.IsGBV() {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT c.id::text FROM ticket.tickets c
		WHERE c.duplicate_of = $1 AND c.tenant = $2 AND c.category <> 'gbv'
		  AND (c.reporter_subject = '' OR c.reporter_subject <> $3)
		UNION
		SELECT o.id::text FROM ticket.followers f JOIN ticket.tickets o ON o.id = f.contact_ticket_id
		WHERE f.ticket_id = $1 AND f.tenant = $2 AND f.subject <> $3 AND o.tenant = $2 AND o.category <> 'gbv'
		ORDER BY 1 LIMIT $4`, t.ID, t.Tenant, t.ReporterSubject, MaxFollowerTickets)
	if err != nil {
		return nil, fmt.Errorf("store.FollowerTickets: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store.FollowerTickets: %w", err)
	}
	return ids, nil
}
