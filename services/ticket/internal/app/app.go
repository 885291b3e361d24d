// Package app holds the ticket service's use cases, one per file. Each
// reads its caller (libs/access, put in the context by libs/server), asks
// domain for the rules, and runs its reads and writes in one transaction it
// opens under the caller's scope (so row-level security applies), recording
// the jobs other services must do in that same transaction.
package app

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/semaphore"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// Jobs records, inside the transaction of a change, what other services
// must learn about it (implemented by package outbox).
type Jobs interface {
	// TicketCreated records that a new ticket must be routed and clocked,
	// and that the notification service must hear of its created notice n.
	TicketCreated(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry, n domain.Notice) error
	// StatusChanged records that a status change must reach routing and SLA.
	StatusChanged(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error
	// PriorityChanged records that SLA must measure t's open clocks
	// against its new priority from h on.
	PriorityChanged(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error
	// Assigned records that SLA must count t under a's team (and t's
	// ward) from h, a's history entry, on.
	Assigned(ctx context.Context, tx pgx.Tx, t domain.Ticket, a domain.Assignment, h domain.HistoryEntry) error
	// WardKnown records that SLA must count t under its ward, told by an
	// assignment that did not apply, as event eventID at at.
	WardKnown(ctx context.Context, tx pgx.Tx, t domain.Ticket, eventID string, at time.Time) error
	// DeadlinesChanged records that routing must learn t's new deadlines.
	DeadlinesChanged(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error
	// Notify records that the notification service must hear of a
	// notifiable history entry: every one that is appended is recorded
	// with it (created, status changes, staff's public notes,
	// assignments and escalations, SLA warnings and breaches).
	Notify(ctx context.Context, tx pgx.Tx, n domain.Notice) error
}

// App is the ticket service's use cases.
type App struct {
	pool  *pgxpool.Pool
	store *store.Store
	jobs  Jobs
	now   func() time.Time
	// photos are the attachments' settings and storage (WithPhotos), and
	// decode the memory budget of cleaning them.
	photos Photos
	decode *semaphore.Weighted
}

// New returns the use cases over pool and st, recording cross-service work
// with jobs.
func New(pool *pgxpool.Pool, st *store.Store, jobs Jobs) *App {
	return &App{pool: pool, store: st, jobs: jobs, now: time.Now}
}

// inTx runs fn in one transaction under scope; fn may run again when the
// transaction loses a serialization conflict (pg.InTx).
func (a *App) inTx(ctx context.Context, scope pg.Scope, fn func(pgx.Tx) error) error {
	return pg.InTx(ctx, a.pool, scope, fn)
}

// timestamp is the current time at Postgres precision (microseconds), so a
// time handed out in a page token compares equal to the stored one.
func (a *App) timestamp() time.Time { return a.now().UTC().Truncate(time.Microsecond) }

// logReads records, in the transaction of the read, that c read the GBV
// tickets among ts through action: every answer that carries their
// content is in the access log.
func (a *App) logReads(ctx context.Context, tx pgx.Tx, c access.Caller, action string, ts ...domain.Ticket) error {
	tenants, ids := domain.GBVIDs(ts...)
	return a.store.LogReads(ctx, tx, c.Subject(), c.Roles(), action, tenants, ids)
}

// wrap names the use case in an unexpected error; domain errors keep their
// code through the wrapping.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("app.%s: %w", op, err)
}

// ticketIDs are the ids id gives for the indexes in order, each once.
func ticketIDs(order []int, id func(int) string) []string {
	ids := make([]string, 0, len(order))
	for _, i := range order {
		if len(ids) == 0 || ids[len(ids)-1] != id(i) {
			ids = append(ids, id(i))
		}
	}
	return ids
}
