// Command ticket runs the ticket service: the ticket life cycle over gRPC,
// with River delivering ticket events to routing and SLA.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"google.golang.org/grpc"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/logging"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/server"
	"github.com/salga/trustengine/services/ticket/internal/app"
	"github.com/salga/trustengine/services/ticket/internal/config"
	"github.com/salga/trustengine/services/ticket/internal/outbox"
	"github.com/salga/trustengine/services/ticket/internal/peers"
	ticketserver "github.com/salga/trustengine/services/ticket/internal/server"
	"github.com/salga/trustengine/services/ticket/internal/store"
	"github.com/salga/trustengine/services/ticket/migrations"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "ticket:", err)
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
		return err
	}
	if keys.HoldsDevKey() {
		log.Warn("development mode: GBV content is sealed with the published development key")
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
	if err := pg.Prepare(ctx, pool, "ticket", migrations.FS); err != nil {
		return err
	}
	if err := outbox.Migrate(ctx, pool); err != nil {
		return err
	}

	tokens := auth.ServiceTokens([]byte(cfg.ServiceJWTSecret), "ticket")
	var ps outbox.Peers
	if cfg.RoutingAddr != "" {
		conn, err := peers.Dial(cfg.RoutingAddr, tokens)
		if err != nil {
			return err
		}
		defer conn.Close()
		ps.Routing = peers.NewRouting(conn)
	}
	if cfg.SLAAddr != "" {
		conn, err := peers.Dial(cfg.SLAAddr, tokens)
		if err != nil {
			return err
		}
		defer conn.Close()
		ps.SLA = peers.NewSLA(conn)
	}
	jobs, err := outbox.NewClient(pool, ps, log)
	if err != nil {
		return err
	}
	if err := queue.RegisterMetrics(server.Registry, pool, outbox.Schema); err != nil {
		return err
	}
	if ps.Routing != nil || ps.SLA != nil {
		if err := jobs.Start(ctx); err != nil {
			return fmt.Errorf("ticket: river start: %w", err)
		}
		queue.ObserveDeliveries(ctx, jobs)
		// Start's context ends the workers on SIGTERM; wait for them below.
		defer func() { <-jobs.Stopped() }()
	}

	reflect, openReflect := cfg.Reflection()
	srv := server.New(server.Options{
		Reflection: reflect, OpenReflection: openReflect,
		// 16 MiB lets an oversized description reach validation and get
		// InvalidArgument naming the field, not a bare ResourceExhausted.
		ServerOptions: []grpc.ServerOption{grpc.MaxRecvMsgSize(ticketserver.MaxRecvMsgSize)},
		Name:          "ticket", GRPCAddr: cfg.GRPCAddr, AdminAddr: cfg.AdminAddr, Logger: log,
		Verifier: verifier, ShutdownTimeout: cfg.ShutdownTimeout,
		Ready: func(ctx context.Context) error { return pool.Ping(ctx) },
	})
	ticketserver.New(app.New(store.New(pool, keys), outbox.NewEnqueuer(jobs))).Register(srv.GRPC())
	return srv.Run(ctx)
}
