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

	"github.com/salga/trustengine/libs/access"
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

// anyone lets every authenticated caller through: municipalities are
// public data (citizen apps resolve the tenant of a report with them).
func anyone(access.Caller) error { return nil }

// caller returns the call's caller, refusing it with PermissionDenied
// unless it passes may.
func caller(ctx context.Context, may func(access.Caller) error) (access.Caller, error) {
	c, err := access.FromContext(ctx)
	if err != nil {
		return c, err
	}
	if err := may(c); err != nil {
		return c, err
	}
	return c, nil
}

// jobInput is the input of an internal call: validated first, and naming
// the municipality whose job the call carries.
type jobInput interface {
	Validate() error
	ForTenant() string
}

// jobCaller returns the caller of an internal call with input in: one that
// passes may, with valid input, acting for the municipality in names and
// no other (its token must name it; PermissionDenied otherwise). Its scope
// is confined to that municipality, so row-level security applies.
func jobCaller(ctx context.Context, may func(access.Caller) error, in jobInput) (access.Caller, error) {
	c, err := caller(ctx, may)
	if err != nil {
		return c, err
	}
	if err := in.Validate(); err != nil {
		return c, err
	}
	_, err = c.Tenant(in.ForTenant(), "tenant")
	return c, err
}

// wrap names the use case in an unexpected error; domain errors keep their
// code through the wrapping.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("app.%s: %w", op, err)
}
