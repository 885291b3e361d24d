// Package app holds the routing service's use cases, one per file. Each use
// case runs in one tenant-scoped transaction (libs pg.InTx) and records its
// effects on other services in that same transaction.
package app

import (
	"context"
	"errors"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// Outbox records, inside tx, what the ticket service must learn: a new
// current assignment, and an answer that carried opened GBV notes (for the
// platform's GBV access log).
type Outbox interface {
	AssignmentChanged(ctx context.Context, tx pgx.Tx, a domain.Assignment) error
	GBVDisclosed(ctx context.Context, tx pgx.Tx, d domain.Disclosure) error
}

// App is the routing service's application layer.
type App struct {
	pool   *pgxpool.Pool
	outbox Outbox
	// keys seal and open the notes of GBV assignments.
	keys *seal.Keyring
	log  *slog.Logger
}

// New returns an App on pool that announces assignments and logs answers
// carrying GBV notes through outbox, and seals the notes of GBV assignments
// with keys.
func New(pool *pgxpool.Pool, outbox Outbox, keys *seal.Keyring, log *slog.Logger) *App {
	if log == nil {
		log = slog.Default()
	}
	return &App{pool: pool, outbox: outbox, keys: keys, log: log}
}

// inTx runs fn in a scoped transaction.
func (a *App) inTx(ctx context.Context, scope pg.Scope, fn func(pgx.Tx) error) error {
	return pg.InTx(ctx, a.pool, scope, fn)
}

// notFound turns the store's ErrNotFound into the caller-facing NotFound of
// what, leaving other errors alone.
func notFound(err error, what string) error {
	if errors.Is(err, domain.ErrNotFound) {
		return apperr.NotFound(what)
	}
	return err
}

// gbvWall turns the database's refusal of a GBV assignment outside SAPS
// teams into FailedPrecondition. The use cases check the rules first; the
// database refuses only what a concurrent change of a team let through.
func gbvWall(err error) error {
	if errors.Is(err, domain.ErrGBVOutsideSAPS) {
		return apperr.FailedPrecondition("a GBV ticket may only reach SAPS teams of its municipality, " +
			"and a team changed meanwhile; try again")
	}
	return err
}

// Page is a limit/offset window for lists.
type Page struct {
	Limit, Offset int
}
