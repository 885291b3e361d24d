// Command routing runs the routing service: municipalities, teams and their
// service areas, routing decisions and assignments over gRPC, with its job
// queue delivering assignments and GBV access-log entries to the ticket
// service. With MIGRATE_ONLY=1 it prepares its database and exits.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/logging"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/server"
	"github.com/salga/trustengine/services/routing/internal/app"
	"github.com/salga/trustengine/services/routing/internal/outbox"
	"github.com/salga/trustengine/services/routing/internal/peers"
	routingserver "github.com/salga/trustengine/services/routing/internal/server"
	"github.com/salga/trustengine/services/routing/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "routing:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	migrateOnly, err := config.MigrateOnly()
	if err != nil {
		return err
	}
	if migrateOnly {
		return migrate(ctx)
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	log := logging.New(cfg.LogLevel)
	keys, err := keyring(cfg.GBV, cfg.DevMode, log)
	if err != nil {
		return err
	}
	verifier, err := auth.NewVerifierFromConfig(cfg.VerifierConfig())
	if err != nil {
		return err
	}
	pool, err := pg.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := prepare(keys)(ctx, pool); err != nil {
		return err
	}

	targets, conns, err := peers.Dial(libpeers.Service([]byte(cfg.ServiceJWTSecret), cfg.ServiceName), cfg.TicketAddr)
	if err != nil {
		return err
	}
	defer conns.Close()
	jobs, err := outbox.NewQueue(pool, log, targets)
	if err != nil {
		return err
	}
	a := app.New(pool, store.New(keys), outbox.NewEnqueuer(jobs), log)

	reflect, openReflect := cfg.Reflection()
	srv := server.New(server.Options{
		Name: "routing", GRPCAddr: cfg.GRPCAddr, AdminAddr: cfg.AdminAddr, Logger: log,
		Verifier: verifier, ShutdownTimeout: cfg.ShutdownTimeout,
		Reflection: reflect, OpenReflection: openReflect,
		// 64 MB lets imports of whole boundary files reach the service.
		ServerOptions: []grpc.ServerOption{grpc.MaxRecvMsgSize(routingserver.MaxRecvMsgSize)},
		Ready:         func(ctx context.Context) error { return pool.Ping(ctx) },
		Queue:         jobs,
	})
	routingserver.New(a).Register(srv.GRPC())
	return srv.Run(ctx)
}

// prepare is the start-up preparation of the database, the same before
// serving and in migrate-only mode: PostGIS, the application role, the
// migrations of schema "routing", the sealing of GBV notes older versions
// kept in plain text (which needs keys), and River's tables.
func prepare(keys *seal.Keyring) server.Prepare {
	return func(ctx context.Context, pool *pgxpool.Pool) error {
		if err := store.Prepare(ctx, pool, keys); err != nil {
			return err
		}
		return outbox.Migrate(ctx, pool)
	}
}

// migrate is a migrate-only run: it reads only the database, the log level,
// the development-mode switch and the GBV key ring, runs prepare and exits,
// opening no port.
func migrate(ctx context.Context) error {
	cfg, err := loadMigrationConfig()
	if err != nil {
		return err
	}
	log := logging.New(cfg.LogLevel)
	keys, err := keyring(cfg.GBV, cfg.DevMode, log)
	if err != nil {
		return err
	}
	return server.MigrateOnly(ctx, "routing", cfg.DatabaseURL, log, prepare(keys))
}

// keyring builds the GBV key ring, warning when it is the development key.
func keyring(g config.GBV, devMode bool, log *slog.Logger) (*seal.Keyring, error) {
	keys, err := g.Keyring(devMode)
	if err != nil {
		return nil, err
	}
	if keys.HoldsDevKey() {
		log.Warn("development mode: notes of GBV assignments are sealed with the published development key")
	}
	return keys, nil
}
