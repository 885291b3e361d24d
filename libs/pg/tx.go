package pg

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// maxTxAttempts bounds retries of transactions that lost a serialization or deadlock
// conflict; such losses are expected under load and succeed on a fresh attempt.
const maxTxAttempts = 5

// InTx runs fn in a read-committed transaction scoped to scope (see the package doc
// for the settings it makes), commits if fn returns nil and rolls back otherwise,
// including when fn panics. fn may run more than once: on serialization_failure or
// deadlock_detected the whole transaction is retried, so fn must not have side
// effects outside the transaction.
func InTx(ctx context.Context, pool *pgxpool.Pool, scope Scope, fn func(pgx.Tx) error) error {
	return InTxReading(ctx, pool, scope, nil, fn)
}

// InTxReading is InTx whose transaction starts with the reads that first
// queues (nil: none), sent in the round trip of its BEGIN and scope: their
// QueuedQuery callbacks run, in the transaction, before fn, so fn starts
// with what a first read would have cost it a round trip to learn (the
// settings a write depends on, say). The reads cannot depend on each
// other's results; an error from them or their callbacks fails the
// transaction as fn's would. first runs again on each attempt. A write
// that depends on nothing fn learns (a lock, an upsert the request
// carries) may go with them too.
func InTxReading(ctx context.Context, pool *pgxpool.Pool, scope Scope, first func(*pgx.Batch), fn func(pgx.Tx) error) error {
	var err error
	for range maxTxAttempts {
		err = runTx(ctx, pool, scope, first, fn)
		if !isRetryable(err) || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("pg.InTx: %w", classify(err))
	}
	return nil
}

func isRetryable(err error) bool {
	switch SQLState(err) {
	case codeSerializationFailure, codeDeadlockDetected:
		return true
	}
	return false
}

// scopeSQL sets the role (as SET LOCAL ROLE would) and the scope for the
// rest of the transaction, from scopeArgs.
const scopeSQL = `select set_config('role', $5, true), set_config('app.tenant', $1, true),
	set_config('app.all_tenants', $2, true), set_config('app.subject', $3, true), set_config('app.roles', $4, true)`

func scopeArgs(scope Scope) []any { return append(scope.settings(), AppRole) }

func runTx(ctx context.Context, pool *pgxpool.Pool, scope Scope, first func(*pgx.Batch), fn func(pgx.Tx) error) (err error) {
	// BEGIN and the scope go out together, with the first reads: one round
	// trip before every transaction of every service, not two.
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{})
	b.Queue(scopeSQL, scopeArgs(scope)...)
	if first != nil {
		first(b)
	}
	br := pool.SendBatch(ctx, b)
	tx := br.Tx()
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			panic(p)
		}
		if err != nil {
			// The original error matters more than a failed rollback.
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err = br.Close(); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	htx := &hookedTx{Tx: tx}
	if err = fn(htx); err != nil {
		return err
	}
	// What fn left for the end goes out now, in the order it was first
	// left; a flush may leave more (it runs too).
	for i := 0; i < len(htx.beforeCommit); i++ {
		if err = htx.beforeCommit[i](ctx); err != nil {
			return err
		}
	}
	if err = tx.Commit(ctx); err != nil {
		if errors.Is(err, pgx.ErrTxClosed) {
			return fmt.Errorf("commit: fn closed the transaction: %w", err)
		}
		return fmt.Errorf("commit: %w", err)
	}
	for _, f := range htx.afterCommit {
		f()
	}
	return nil
}

// hookedTx is the transaction InTx hands its fn: a pgx.Tx that keeps
// what is to happen once it has committed (AfterCommit).
type hookedTx struct {
	pgx.Tx
	afterCommit  []func()
	beforeCommit []func(context.Context) error
	deferred     map[any]any
}

// Deferred returns the work tx keeps under key to be done right before it
// commits, and true; the first call for key makes a zero T and arranges
// for flush to be called with it, in tx, once fn has returned nil and
// before the COMMIT. An error from flush fails the transaction as an
// error of fn would. It lets many statements of one transaction become
// one round trip (the jobs a batch consumer inserts for each of its items,
// say) without changing its callers. It reports false (and nil) when tx
// is not a transaction InTx handed out (a savepoint, or one begun
// elsewhere): the caller must then do the work at once.
func Deferred[T any](tx pgx.Tx, key any, flush func(ctx context.Context, tx pgx.Tx, work *T) error) (*T, bool) {
	h, ok := tx.(*hookedTx)
	if !ok {
		return nil, false
	}
	if w, ok := h.deferred[key]; ok {
		return w.(*T), true
	}
	w := new(T)
	if h.deferred == nil {
		h.deferred = map[any]any{}
	}
	h.deferred[key] = w
	h.beforeCommit = append(h.beforeCommit, func(ctx context.Context) error { return flush(ctx, h.Tx, w) })
	return w, true
}

// AfterCommit arranges for f to run once tx has committed, in the
// goroutine that called InTx, before InTx returns; f does not run when tx
// rolls back or an attempt of it is retried. It is for effects outside the
// database that only a committed change may cause (waking the workers of
// jobs tx inserted), so f must be quick and must not fail the work. It
// reports false, and f will not run, when tx is not a transaction InTx
// handed out (a savepoint, or one begun elsewhere).
func AfterCommit(tx pgx.Tx, f func()) bool {
	h, ok := tx.(*hookedTx)
	if ok {
		h.afterCommit = append(h.afterCommit, f)
	}
	return ok
}

// Read runs the queries that queue adds to a batch in one round trip: one
// read-only transaction scoped like InTx's, whose settings end with it. The
// queries cannot depend on each other's results; read them with the
// QueuedQuery callbacks (Query, QueryRow, Exec), which run before Read
// returns. The first error, from the database or a callback, is returned
// and the transaction is rolled back.
func Read(ctx context.Context, pool *pgxpool.Pool, scope Scope, queue func(*pgx.Batch)) error {
	b := &pgx.Batch{}
	// Without BEGIN the batch is one implicit transaction, ended by the
	// pipeline's Sync; set_config(..., true) lasts until then.
	b.Queue(scopeSQL+`, set_config('transaction_read_only', 'on', true)`, scopeArgs(scope)...)
	queue(b)
	if err := pool.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("pg.Read: %w", classify(err))
	}
	return nil
}
