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
	return InTxWithOptions(ctx, pool, scope, pgx.TxOptions{}, fn)
}

// InTxWithOptions is InTx with explicit transaction options, e.g. serializable
// isolation or read-only.
func InTxWithOptions(ctx context.Context, pool *pgxpool.Pool, scope Scope, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	var err error
	for range maxTxAttempts {
		err = runTx(ctx, pool, scope, opts, fn)
		if !isRetryable(err) || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("pg.InTx: %w", err)
	}
	return nil
}

func isRetryable(err error) bool {
	switch sqlState(err) {
	case codeSerializationFailure, codeDeadlockDetected:
		return true
	}
	return false
}

func runTx(ctx context.Context, pool *pgxpool.Pool, scope Scope, opts pgx.TxOptions, fn func(pgx.Tx) error) (err error) {
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
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
	// One round trip sets both the role (as SET LOCAL ROLE would) and the
	// scope: this runs before every statement of every service.
	if _, err = tx.Exec(ctx, `select set_config('role', $5, true), set_config('app.tenant', $1, true),
		set_config('app.all_tenants', $2, true), set_config('app.subject', $3, true), set_config('app.roles', $4, true)`,
		append(scope.settings(), AppRole)...); err != nil {
		return fmt.Errorf("set scope: %w", err)
	}
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(ctx); err != nil {
		if errors.Is(err, pgx.ErrTxClosed) {
			return fmt.Errorf("commit: fn closed the transaction: %w", err)
		}
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
