// Package app holds the routing service's use cases, one per file. Each
// reads its caller (libs/access, put in the context by libs/server), lets
// domain validate its input and decide the rules, and runs its reads and
// writes in one transaction it opens under the caller's scope (so
// row-level security applies), recording the jobs the ticket service must
// do, and the GBV notes its answer opens, in that same transaction.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// Jobs records, inside the transaction of a change or read, what the
// ticket service must learn (implemented by package outbox).
type Jobs interface {
	// AssignmentChanged records that a ticket has a new current assignment.
	AssignmentChanged(ctx context.Context, tx pgx.Tx, a domain.Assignment) error
	// GBVDisclosed records an answer that carried opened GBV notes, for the
	// platform's GBV access log.
	GBVDisclosed(ctx context.Context, tx pgx.Tx, d domain.Disclosure) error
}

// App is the routing service's use cases.
type App struct {
	pool  *pgxpool.Pool
	store *store.Store
	jobs  Jobs
	log   *slog.Logger
	now   func() time.Time
}

// New returns the use cases over pool and st, recording work for the
// ticket service with jobs; log (nil: slog.Default) hears of repaired
// boundaries and failed statistics refreshes.
func New(pool *pgxpool.Pool, st *store.Store, jobs Jobs, log *slog.Logger) *App {
	if log == nil {
		log = slog.Default()
	}
	return &App{pool: pool, store: st, jobs: jobs, log: log, now: time.Now}
}

// inTx runs fn in one transaction under scope; fn may run again when the
// transaction loses a serialization conflict (pg.InTx).
func (a *App) inTx(ctx context.Context, scope pg.Scope, fn func(pgx.Tx) error) error {
	return pg.InTx(ctx, a.pool, scope, fn)
}

// read sends the independent queries queue adds in one round trip, under
// scope and read-only (pg.Read).
func (a *App) read(ctx context.Context, scope pg.Scope, queue func(*pgx.Batch)) error {
	return pg.Read(ctx, a.pool, scope, queue)
}

// wrap names the use case in an unexpected error; domain errors keep their
// code through the wrapping.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("app.%s: %w", op, err)
}
