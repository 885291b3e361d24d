package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// GetRetention reads tenant's attachment retention; a tenant that never
// set one keeps its attachments (Days 0).
func (s *Store) GetRetention(ctx context.Context, tx pgx.Tx, tenant string) (domain.Retention, error) {
	r := domain.Retention{Tenant: tenant}
	var at time.Time
	err := tx.QueryRow(ctx, `SELECT retention_days, updated_by, update_time FROM ticket.attachment_retention WHERE tenant = $1`,
		tenant).Scan(&r.Days, &r.UpdatedBy, &at)
	if pg.IsNoRows(err) {
		return r, nil
	}
	if err != nil {
		return r, fmt.Errorf("store.GetRetention: %w", err)
	}
	at = at.UTC()
	r.UpdateTime = &at
	return r, nil
}

// SetRetention writes r.
func (s *Store) SetRetention(ctx context.Context, tx pgx.Tx, r domain.Retention) error {
	if _, err := tx.Exec(ctx, `INSERT INTO ticket.attachment_retention (tenant, retention_days, updated_by, update_time)
		VALUES ($1, $2, $3, $4) ON CONFLICT (tenant) DO UPDATE
		SET retention_days = excluded.retention_days, updated_by = excluded.updated_by, update_time = excluded.update_time`,
		r.Tenant, r.Days, r.UpdatedBy, r.UpdateTime); err != nil {
		return fmt.Errorf("store.SetRetention: %w", err)
	}
	return nil
}

// Expired is a ticket whose attachments its municipality keeps no longer.
type Expired struct {
	Tenant, TicketID string
	Days             int
}

// ExpiredTickets returns up to limit tickets, of every municipality with a
// retention, that finished (closed, or cancelled) more than its retention
// days before now and still have attachments.
func (s *Store) ExpiredTickets(ctx context.Context, tx pgx.Tx, now time.Time, limit int) ([]Expired, error) {
	rows, err := tx.Query(ctx, `SELECT t.tenant, t.id::text, r.retention_days
		FROM ticket.attachment_retention r
		JOIN ticket.tickets t ON t.tenant = r.tenant
		WHERE r.retention_days > 0 AND t.status IN ('closed', 'cancelled')
		  AND coalesce(t.close_time, t.update_time) < $1::timestamptz - make_interval(days => r.retention_days)
		  AND EXISTS (SELECT 1 FROM ticket.attachments a WHERE a.ticket_id = t.id)
		ORDER BY t.tenant, t.id LIMIT $2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("store.ExpiredTickets: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Expired, error) {
		var e Expired
		return e, r.Scan(&e.Tenant, &e.TicketID, &e.Days)
	})
	if err != nil {
		return nil, fmt.Errorf("store.ExpiredTickets: %w", err)
	}
	return out, nil
}
