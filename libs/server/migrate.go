package server

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/logging"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/seal"
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

// Migration is a service's migrate-only run (Main), given its name.
type Migration func(ctx context.Context, name string) error

// Migrate is the migrate-only run of a service that seals nothing: it
// reads config.Migration (the database and the log level; no secret, no
// address) and runs MigrateOnly with prepare.
func Migrate(prepare Prepare) Migration {
	return func(ctx context.Context, name string) error {
		var cfg config.Migration
		if err := config.Load(&cfg); err != nil {
			return err
		}
		return MigrateOnly(ctx, name, cfg.DatabaseURL, logging.New(cfg.LogLevel), prepare)
	}
}

// MigrateSealed is the migrate-only run of a service that seals GBV
// content: it reads config.Migration and config.GBV, builds the key ring
// (so outside development mode it needs GBV_KEYS) and runs
// MigrateOnly with the preparation prepare builds with it, which seals
// what older versions kept in plain text.
func MigrateSealed(prepare func(*seal.Keyring) Prepare) Migration {
	return func(ctx context.Context, name string) error {
		var cfg struct {
			config.Migration
			config.GBV
		}
		if err := config.Load(&cfg); err != nil {
			return err
		}
		log := logging.New(cfg.LogLevel)
		keys, err := keyring(cfg.GBV, cfg.DevMode, log)
		if err != nil {
			return err
		}
		return MigrateOnly(ctx, name, cfg.DatabaseURL, log, prepare(keys))
	}
}
