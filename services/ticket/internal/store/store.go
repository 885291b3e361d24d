// Package store is the Postgres adapter of the ticket service: every query of
// schema "ticket", run through libs pg.InTx so row-level security applies,
// with GBV content sealed and opened here at the storage edge. Errors leave
// this package as apperr domain errors or wrapped causes.
package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// Store reads and writes tickets.
type Store struct {
	pool *pgxpool.Pool
	keys *seal.Keyring
	now  func() time.Time
}

// New returns a Store on pool that seals GBV content with keys.
func New(pool *pgxpool.Pool, keys *seal.Keyring) *Store {
	return &Store{pool: pool, keys: keys, now: time.Now}
}

// Hook runs inside the transaction of a change, after the change and its
// history entry are written: the place to record work for other services so
// it commits (or not) with the change itself.
type Hook func(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error

// timestamp is the current time at Postgres precision (microseconds), so a
// time handed out in a page token compares equal to the stored one.
func (s *Store) timestamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// scope is the database scope of a viewer: services with the "*" tenant and
// platform admins read across tenants.
func scope(v domain.Viewer) pg.Scope {
	tenant := v.Tenant
	all := v.AllTenants()
	if tenant == "*" {
		tenant = ""
		all = all || v.Has(domain.RoleService)
	}
	return pg.Scope{Tenant: tenant, AllTenants: all, Subject: v.Subject, Roles: v.Roles}
}

func (s *Store) inTx(ctx context.Context, v domain.Viewer, fn func(pgx.Tx) error) error {
	return pg.InTx(ctx, s.pool, scope(v), fn)
}

// notFound is the answer for a ticket id a visibility-scoped query did not
// return, whatever the reason: missing, another tenant's, someone else's,
// or a GBV ticket asked for by anyone but the tenant's SAPS liaison. One
// answer for all, so no caller can learn that an id is a GBV ticket.
func notFound() error { return apperr.NotFound("ticket") }

// logGBVReads records reads of GBV tickets in the same transaction as the
// read, so no read can happen without its log entry.
func logGBVReads(ctx context.Context, tx pgx.Tx, v domain.Viewer, action string, ts []domain.Ticket) error {
	var tenants, ids []string
	for _, t := range ts {
		if t.IsGBV() {
			tenants = append(tenants, t.Tenant)
			ids = append(ids, t.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO ticket.gbv_access_log (tenant, ticket_id, subject, roles, action)
		SELECT tn, id::uuid, $3, $4, $5 FROM unnest($1::text[], $2::text[]) AS u(tn, id)`,
		tenants, ids, v.Subject, v.Roles, action)
	if err != nil {
		return fmt.Errorf("store: insert gbv_access_log: %w", err)
	}
	return nil
}
