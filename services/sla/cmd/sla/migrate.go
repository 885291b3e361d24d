package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/logging"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/sla/internal/outbox"
	"github.com/salga/trustengine/services/sla/migrations"
)

// mode is how the process runs (MIGRATE_ONLY): serve, or only migrate.
type mode struct {
	// MigrateOnly runs the start-up preparation and exits (MIGRATE_ONLY, a
	// boolean): the deployment's migration Job. Default: off.
	MigrateOnly bool `env:"MIGRATE_ONLY"`
}

// migrateConfig is what migrating needs, and all a migrate-only run reads:
// no token secret, no ports, no peers.
type migrateConfig struct {
	// DatabaseURL is the Postgres connection string (DATABASE_URL), with
	// the default of config.Common.
	DatabaseURL string `env:"DATABASE_URL" envDefault:"postgres://postgres@127.0.0.1:5432/trustengine?sslmode=disable"`
	// LogLevel is one of debug, info, warn, error (LOG_LEVEL). Default: info.
	LogLevel string `env:"LOG_LEVEL" envDefault:"info"`
}

// migrateOnly reports whether the process only migrates.
func migrateOnly() (bool, error) {
	var m mode
	if err := config.Load(&m); err != nil {
		return false, fmt.Errorf("sla: %w", err)
	}
	return m.MigrateOnly, nil
}

// prepare is what the service does to its database before anything is
// served, and all a migrate-only run does: its schema (goose), then River's
// tables in it, each under its own advisory lock so replicas and the
// migration Job may run it at once.
func prepare(ctx context.Context, pool *pgxpool.Pool) error {
	if err := pg.Prepare(ctx, pool, outbox.Schema, migrations.FS); err != nil {
		return err
	}
	return outbox.Migrate(ctx, pool)
}

// migrate connects with cfg, prepares the database and returns: the
// migrate-only run.
func migrate(ctx context.Context) error {
	var cfg migrateConfig
	if err := config.Load(&cfg); err != nil {
		return fmt.Errorf("sla: %w", err)
	}
	log := logging.New(cfg.LogLevel)
	pool, err := pg.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := prepare(ctx, pool); err != nil {
		return err
	}
	log.InfoContext(ctx, "sla schema migrated", "schema", outbox.Schema)
	return nil
}
