package server

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/pg"
)

// Prepare is a service's start-up preparation of its database: its
// migrations, River's tables, and whatever it seals that older versions
// kept in plain text. A service runs the same Prepare before it serves and
// in migrate-only mode.
type Prepare func(ctx context.Context, pool *pgxpool.Pool) error

// MigrateOnly is the whole of a migrate-only run (config.MigrateOnly): it
// connects to databaseURL, runs prepare and returns, without opening a port.
// A deployment's migration job runs every service so before a release, so
// that a failing migration stops the release in one visible place and long
// migrations stay out of the services' start-up probes; the services still
// run prepare at start, under the same advisory locks, so a replica racing
// the job is safe.
func MigrateOnly(ctx context.Context, name, databaseURL string, log *slog.Logger, prepare Prepare) error {
	if log == nil {
		log = slog.Default()
	}
	log = log.With("service", name)
	start := time.Now()
	pool, err := pg.Connect(ctx, databaseURL)
	if err != nil {
		return fmt.Errorf("server.MigrateOnly: %w", err)
	}
	defer pool.Close()
	if err := prepare(ctx, pool); err != nil {
		return fmt.Errorf("server.MigrateOnly: %w", err)
	}
	log.InfoContext(ctx, "database prepared; migrate-only mode exits without serving", "took", time.Since(start).String())
	return nil
}
