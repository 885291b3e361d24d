// Command routing serves the team-routing service: municipalities, teams and
// their service areas, routing decisions and assignments.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"google.golang.org/grpc"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/logging"
	"github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/queue"
	libserver "github.com/salga/trustengine/libs/server"
	"github.com/salga/trustengine/services/routing/internal/app"
	"github.com/salga/trustengine/services/routing/internal/config"
	"github.com/salga/trustengine/services/routing/internal/delivery"
	"github.com/salga/trustengine/services/routing/internal/server"
	"github.com/salga/trustengine/services/routing/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		slog.Error("routing stopped", "error", err.Error())
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	log := logging.New(cfg.LogLevel)
	keys, err := cfg.GBV.Keyring(cfg.DevMode)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	if keys.HoldsDevKey() {
		log.Warn("development mode: notes of GBV assignments are sealed with the published development key")
	}
	verifier, err := auth.NewVerifierFromConfig(cfg.VerifierConfig())
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	pool, err := pg.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	defer pool.Close()
	if err := store.Setup(ctx, pool, keys); err != nil {
		return fmt.Errorf("run: %w", err)
	}

	riverClient, closePeer, err := newRiver(ctx, cfg, pool, log)
	if err != nil {
		return err
	}
	defer closePeer()
	if err := queue.RegisterMetrics(libserver.Registry, pool, store.Schema); err != nil {
		return err
	}
	if cfg.TicketAddr != "" {
		// Without TICKET_ADDR the client only records jobs, and works none.
		queue.ObserveDeliveries(ctx, riverClient)
	}

	reflect, openReflect := cfg.Reflection()
	srv := libserver.New(libserver.Options{
		Reflection: reflect, OpenReflection: openReflect,
		Name: "routing", GRPCAddr: cfg.GRPCAddr, AdminAddr: cfg.AdminAddr, Logger: log,
		Verifier: verifier, ShutdownTimeout: cfg.ShutdownTimeout,
		Ready:         func(ctx context.Context) error { return pool.Ping(ctx) },
		ServerOptions: []grpc.ServerOption{grpc.MaxRecvMsgSize(server.MaxRecvMsgSize)},
	})
	server.New(app.New(pool, delivery.NewOutbox(riverClient), keys, log)).Register(srv.GRPC())
	err = srv.Run(ctx)
	if cfg.TicketAddr != "" {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
		defer cancel()
		if stopErr := riverClient.Stop(stopCtx); stopErr != nil {
			log.Warn("river stop", "error", stopErr.Error())
		}
	}
	return err
}

// newRiver builds the River client: insert-only without TICKET_ADDR, else
// with the record_assignment worker started and a connection to the ticket
// service whose calls carry a service token for each job's tenant.
func newRiver(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, log *slog.Logger) (*river.Client[pgx.Tx], func(), error) {
	if cfg.TicketAddr == "" {
		c, err := delivery.NewRiverClient(pool, store.Schema, nil, log)
		return c, func() {}, err
	}
	conn, err := peers.Dial(cfg.TicketAddr, peers.Service([]byte(cfg.ServiceJWTSecret), cfg.ServiceName))
	if err != nil {
		return nil, nil, fmt.Errorf("run: dial ticket service: %w", err)
	}
	c, err := delivery.NewRiverClient(pool, store.Schema, delivery.NewTicketClient(conn), log)
	if err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	if err := c.Start(ctx); err != nil {
		_ = conn.Close()
		return nil, nil, fmt.Errorf("run: river start: %w", err)
	}
	return c, func() { _ = conn.Close() }, nil
}
