// Package app holds the SLA service's use cases, one per file: ticket
// events driving the clocks, the sweep, policy and calendar management
// with recomputation of open clocks, and the reads. Each reads its caller
// (libs/access, put in the context by libs/server), asks domain for the
// rules, and runs its reads and writes in one transaction it opens under
// the caller's scope (so row-level security applies), recording the jobs
// other services must do in that same transaction.
package app

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// Jobs records, inside the transaction of a change, what other services
// must learn about it (implemented by package outbox).
type Jobs interface {
	// Deadlines records that the ticket service must mirror m.
	Deadlines(ctx context.Context, tx pgx.Tx, m domain.DeadlineMirror) error
	// Escalation records that routing must escalate the ticket of breach ev.
	Escalation(ctx context.Context, tx pgx.Tx, ev domain.ClockEvent) error
	// ClockEvents records that the ticket service must add evs to the
	// tickets' histories.
	ClockEvents(ctx context.Context, tx pgx.Tx, evs ...domain.ClockEvent) error
	// ReportMail records that the notify service must mail m.
	ReportMail(ctx context.Context, tx pgx.Tx, m domain.ReportMail) error
}

// App is the SLA service's use cases.
type App struct {
	pool *pgxpool.Pool
	jobs Jobs
	// batch is how many due clocks one sweep transaction handles.
	batch int
	// Now is this replica's own clock. No time rule reads it: sweeps, rule
	// changes and reports take the database's clock (see now), the one every
	// replica shares; the sweep loop only compares the two to report drift.
	Now func() time.Time
	// Clock, when set, replaces the database's clock (tests move time with it).
	Clock func() time.Time
	// AfterSweptClock, when set, runs after each clock a sweep handles, inside
	// the sweep's transaction; an error aborts the batch like a crash would.
	AfterSweptClock func(n int) error
}

// New returns the use cases over pool, recording cross-service work with
// jobs; a sweep handles due clocks in transactions of batch.
func New(pool *pgxpool.Pool, jobs Jobs, batch int) *App {
	return &App{pool: pool, jobs: jobs, batch: batch, Now: time.Now}
}

// inTx runs fn in one transaction under scope; fn may run again when the
// transaction loses a serialization conflict (pg.InTx).
func (a *App) inTx(ctx context.Context, scope pg.Scope, fn func(pgx.Tx) error) error {
	return pg.InTx(ctx, a.pool, scope, fn)
}

// now is the time of a use case: the database's clock, read in its
// transaction, unless a test set Clock.
func (a *App) now(ctx context.Context, tx pgx.Tx) (time.Time, error) {
	if a.Clock != nil {
		return a.Clock().UTC(), nil
	}
	return store.Now(ctx, tx)
}

// wrap names the use case in an unexpected error; domain errors keep their
// code through the wrapping.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("app.%s: %w", op, err)
}
