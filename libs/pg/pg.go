// Package pg is the Postgres layer shared by every service: connection pools,
// PostGIS, goose migrations into a per-service schema, tenant-scoped transactions
// under row-level security, and SQLSTATE-based error tests.
//
// # Row-level security contract
//
// InTx runs every transaction (and Read every one-round-trip read) as the NOLOGIN
// role AppRole ("trustengine_app", as SET LOCAL ROLE would) and sets these
// transaction-local settings from the caller's Scope:
//
//	app.tenant       the caller's tenant code, e.g. 'CPT' ('' when AllTenants)
//	app.all_tenants  'on' when the caller may see every tenant, else 'off'
//	app.subject      the caller's subject (user or service id)
//	app.roles        the caller's roles, comma-joined
//
// Service migrations enable RLS on tenant tables, GRANT the needed privileges to
// trustengine_app, and write policies such as:
//
//	ALTER TABLE ticket.tickets ENABLE ROW LEVEL SECURITY;
//	ALTER TABLE ticket.tickets FORCE ROW LEVEL SECURITY;
//	CREATE POLICY tenant_isolation ON ticket.tickets
//	  USING (current_setting('app.all_tenants', true) = 'on'
//	         OR tenant = current_setting('app.tenant', true))
//	  WITH CHECK (current_setting('app.all_tenants', true) = 'on'
//	         OR tenant = current_setting('app.tenant', true));
//
// current_setting(..., true) returns NULL (never an error) outside InTx, so a query
// that bypasses InTx but still runs as trustengine_app sees no rows at all.
package pg

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// SQLSTATE codes this package and its callers care about.
const (
	codeUniqueViolation      = "23505"
	codeCheckViolation       = "23514"
	codeDuplicateObject      = "42710"
	codeDuplicateSchema      = "42P06"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
)

// DefaultMaxConns is the pool size when the URL sets no pool_max_conns.
// A transaction spends most of its time waiting for its commit to reach
// the disk, not on a core, and concurrent commits share one flush (group
// commit); pgxpool's own default (4 on two cores) let at most four
// requests of a process commit together, whatever the load.
const DefaultMaxConns = 10

// Connect opens a pool for url and pings it, so a bad URL or a down database fails at
// start-up rather than on the first request. Without pool_max_conns in url
// the pool holds up to DefaultMaxConns connections.
func Connect(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("pg.Connect: pgxpool.ParseConfig: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pg.Connect: pgxpool.New: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pg.Connect: ping: %w", err)
	}
	return pool, nil
}

// EnsurePostGIS creates the postgis extension if missing. Two sessions creating it at
// once can both pass IF NOT EXISTS and one then fails on the catalog's unique index;
// that loser simply retries and finds the extension present.
func EnsurePostGIS(ctx context.Context, pool *pgxpool.Pool) error {
	return createIdempotent(ctx, pool, "pg.EnsurePostGIS", `CREATE EXTENSION IF NOT EXISTS postgis`)
}

// createIdempotent runs an IF NOT EXISTS style statement, retrying the catalog races
// that such statements are still exposed to.
func createIdempotent(ctx context.Context, pool *pgxpool.Pool, op, sql string) error {
	var err error
	for range 5 {
		if _, err = pool.Exec(ctx, sql); err == nil || !isCreateRace(err) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

func isCreateRace(err error) bool {
	switch SQLState(err) {
	case codeUniqueViolation, codeDuplicateObject, codeDuplicateSchema:
		return true
	}
	return false
}

// SQLState returns the SQLSTATE of a Postgres error anywhere in err's chain, or "".
func SQLState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// IsUniqueViolation reports whether err is a unique_violation (23505); pair it with
// ConstraintName to tell which key collided.
func IsUniqueViolation(err error) bool { return SQLState(err) == codeUniqueViolation }

// IsCheckViolation reports whether err is a check_violation (23514).
func IsCheckViolation(err error) bool { return SQLState(err) == codeCheckViolation }

// IsNoRows reports whether err is pgx.ErrNoRows, i.e. QueryRow found nothing.
func IsNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// ConstraintName returns the name of the constraint a Postgres error is about, or "".
func ConstraintName(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.ConstraintName
	}
	return ""
}
