package queue

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/salga/trustengine/libs/pg"
)

// Migrate installs or upgrades River's tables in schema (a service's own
// schema, already created by its goose migrations) and lets pg.AppRole use
// them, since jobs are inserted inside pg.InTx transactions that run as that
// role. Replicas starting at once are serialized by an advisory lock.
// River's two GIN indexes, of every job's args and metadata, are dropped
// (nothing lists jobs by their contents). Only River's tables are granted,
// so a service's own grants (for example an append-only history table)
// stay as its migrations set them.
func Migrate(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	// The lock is held on a connection of its own, outside the pool: waiters
	// holding pool connections would otherwise starve the migration itself.
	conn, err := pgx.ConnectConfig(ctx, pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("queue.Migrate: connect: %w", err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	key := pg.LockID("river:" + schema)
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return fmt.Errorf("queue.Migrate: pg_advisory_lock: %w", err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key) }()

	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Schema: schema})
	if err != nil {
		return fmt.Errorf("queue.Migrate: rivermigrate.New: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("queue.Migrate: migrate up: %w", err)
	}
	// River's relations: its tables, and the sequences behind their ids.
	rows, err := conn.Query(ctx, `SELECT quote_ident(c.relname), c.relkind = 'S'
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relname LIKE 'river\_%' AND c.relkind IN ('r', 'p', 'S')`, schema)
	if err != nil {
		return fmt.Errorf("queue.Migrate: list river relations: %w", err)
	}
	type relation struct {
		Name       string
		IsSequence bool
	}
	rels, err := pgx.CollectRows(rows, pgx.RowToStructByPos[relation])
	if err != nil {
		return fmt.Errorf("queue.Migrate: list river relations: %w", err)
	}
	s := pgx.Identifier{schema}.Sanitize()
	grants := []string{fmt.Sprintf(`GRANT USAGE ON SCHEMA %s TO %s`, s, pg.AppRole)}
	for _, r := range rels {
		privileges := "SELECT, INSERT, UPDATE, DELETE"
		if r.IsSequence {
			privileges = "USAGE, SELECT"
		}
		grants = append(grants, fmt.Sprintf(`GRANT %s ON %s.%s TO %s`, privileges, s, r.Name, pg.AppRole))
	}
	for _, g := range grants {
		if _, err := conn.Exec(ctx, g); err != nil {
			return fmt.Errorf("queue.Migrate: %s: %w", g, err)
		}
	}
	// River indexes every job's args and metadata with GIN, for listing
	// jobs by their contents, which nothing here does. A job's row is
	// written three times (inserted, fetched, completed), each a new
	// version in every index, and a GIN index takes an entry for each key
	// and value of the args at each version.
	for _, idx := range []string{"river_job_args_index", "river_job_metadata_index"} {
		if _, err := conn.Exec(ctx, fmt.Sprintf(`DROP INDEX IF EXISTS %s.%s`, s, idx)); err != nil {
			return fmt.Errorf("queue.Migrate: drop %s: %w", idx, err)
		}
	}
	return nil
}
