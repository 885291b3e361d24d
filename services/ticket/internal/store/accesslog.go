package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// LogReads records that subject (holding roles) read the GBV tickets ids
// of tenants through action. Run it in the transaction of the read, so no
// read happens without its entry.
func (s *Store) LogReads(ctx context.Context, tx pgx.Tx, subject string, roles []string, action string, tenants, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO ticket.gbv_access_log (tenant, ticket_id, subject, roles, action)
		SELECT tn, id::uuid, $3, $4, $5 FROM unnest($1::text[], $2::text[]) AS u(tn, id)`,
		tenants, ids, subject, roles, action); err != nil {
		return fmt.Errorf("store.LogReads: %w", err)
	}
	return nil
}

// RecordAccess writes one access-log entry per ticket of e unless its
// event is logged already, and reports whether it wrote. The unique index
// on (event_id, ticket_id) makes a redelivery, even a concurrent one, a
// no-op; entries are all-or-nothing per event since one statement writes
// them.
func (s *Store) RecordAccess(ctx context.Context, tx pgx.Tx, e domain.GBVAccess) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO ticket.gbv_access_log (tenant, ticket_id, subject, roles, action, create_time, event_id)
		SELECT $1, id::uuid, $3, $4, $5, $6, $7 FROM unnest($2::text[]) AS u(id)
		ON CONFLICT (event_id, ticket_id) WHERE event_id IS NOT NULL DO NOTHING`,
		e.Tenant, e.TicketIDs, e.Subject, e.Roles, e.Action, e.Time, e.EventID)
	if err != nil {
		return false, fmt.Errorf("store.RecordAccess: %w", err)
	}
	return tag.RowsAffected() > 0, nil
}

// ListAccessLog returns GBV access log entries, newest first, with id below
// beforeID (0 for the first page), of tenant and ticketID when not empty,
// up to limit, and whether more follow.
func (s *Store) ListAccessLog(ctx context.Context, tx pgx.Tx, tenant, ticketID string, beforeID int64, limit int) ([]domain.AccessLogEntry, bool, error) {
	w := &where{}
	if tenant != "" {
		w.add("tenant = " + w.arg(tenant))
	}
	if ticketID != "" {
		w.add("ticket_id = " + w.arg(ticketID) + "::uuid")
	}
	if beforeID > 0 {
		w.add("id < " + w.arg(beforeID))
	}
	rows, err := tx.Query(ctx, `SELECT id, tenant, ticket_id::text, subject, roles, action, create_time FROM ticket.gbv_access_log
		WHERE `+w.sql()+` ORDER BY id DESC LIMIT `+w.arg(limit+1), w.args...)
	if err != nil {
		return nil, false, fmt.Errorf("store.ListAccessLog: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.AccessLogEntry, error) {
		var e domain.AccessLogEntry
		err := r.Scan(&e.ID, &e.Tenant, &e.TicketID, &e.Subject, &e.Roles, &e.Action, &e.CreateTime)
		e.CreateTime = e.CreateTime.UTC()
		return e, err
	})
	if err != nil {
		return nil, false, fmt.Errorf("store.ListAccessLog: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}
