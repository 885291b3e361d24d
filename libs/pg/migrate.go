package pg

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"regexp"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

// schemaName restricts schemas to plain identifiers: the name is interpolated into
// DDL and goose's table name, so nothing that needs quoting is accepted.
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Migrate applies the goose SQL migrations at the root of migrations (use fs.Sub for
// a subdirectory), recording versions in <schema>.goose_db_version so each service
// keeps its own history. Migration files should say CREATE SCHEMA IF NOT EXISTS so
// they read complete on their own; Migrate also creates the schema first because the
// version table lives in it.
//
// Several replicas may start at once. goose's Up checks and creates its version
// table before taking any lock of its own, so Migrate holds a Postgres session
// advisory lock, keyed by the schema name, around the whole run.
//
// The connections come from a small database/sql pool built from the pgx pool's
// configuration rather than from the pgx pool itself: a replica waiting on the lock
// holds a connection, and borrowing them from the service pool could starve it (or
// deadlock a pool of size one).
func Migrate(ctx context.Context, pool *pgxpool.Pool, schema string, migrations fs.FS) error {
	if !schemaName.MatchString(schema) {
		return fmt.Errorf("pg.Migrate: invalid schema name %q", schema)
	}
	db := stdlib.OpenDB(*pool.Config().ConnConfig.Copy())
	defer db.Close()
	db.SetMaxOpenConns(2)

	lockConn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("pg.Migrate: connect: %w", err)
	}
	defer lockConn.Close()
	key := LockID("trustengine.migrate." + schema)
	if _, err := lockConn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return fmt.Errorf("pg.Migrate: pg_advisory_lock: %w", err)
	}
	// Unlock even when ctx is cancelled; closing the connection would release the
	// lock too, but database/sql may keep it open for reuse.
	defer func() { _, _ = lockConn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key) }()

	// Another path (a service's own DDL) could race this create, so tolerate it.
	if _, err := lockConn.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+schema); err != nil && !isCreateRace(err) {
		return fmt.Errorf("pg.Migrate: create schema %s: %w", schema, err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations,
		goose.WithTableName(schema+".goose_db_version"),
		goose.WithDisableGlobalRegistry(true),
	)
	if err != nil {
		return fmt.Errorf("pg.Migrate: goose.NewProvider: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("pg.Migrate: %s: goose up: %w", schema, err)
	}
	return nil
}

// Prepare readies a database for a service at start-up (and a test
// template): PostGIS, the application role, and the service's migrations
// into its schema.
func Prepare(ctx context.Context, pool *pgxpool.Pool, schema string, migrations fs.FS) error {
	if err := EnsurePostGIS(ctx, pool); err != nil {
		return err
	}
	if err := EnsureAppRole(ctx, pool); err != nil {
		return err
	}
	return Migrate(ctx, pool, schema, migrations)
}

// LockID derives a stable advisory-lock key from a name, for
// pg_advisory_lock around work that replicas must not do at once.
func LockID(name string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	return int64(h.Sum64())
}
