// Command ticket runs the ticket service: the ticket life cycle over gRPC,
// with River delivering ticket events to routing and SLA.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"google.golang.org/grpc"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/logging"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/server"
	"github.com/salga/trustengine/services/ticket/internal/app"
	"github.com/salga/trustengine/services/ticket/internal/config"
	"github.com/salga/trustengine/services/ticket/internal/outbox"
	"github.com/salga/trustengine/services/ticket/internal/peers"
	ticketserver "github.com/salga/trustengine/services/ticket/internal/server"
	"github.com/salga/trustengine/services/ticket/internal/store"
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
	// Migrations, then the sealing of GBV text older versions kept in
	// plain text, before anything is served.
	if err := store.Prepare(ctx, pool, keys); err != nil {
		return err
	}
	if err := outbox.Migrate(ctx, pool); err != nil {
		return err
	}

	id := libpeers.Service([]byte(cfg.ServiceJWTSecret), "ticket")
	var ps outbox.Peers
	if cfg.RoutingAddr != "" {
		conn, err := libpeers.Dial(cfg.RoutingAddr, id)
		if err != nil {
			return err
		}
		defer conn.Close()
		ps.Routing = peers.NewRouting(conn)
	}
	if cfg.SLAAddr != "" {
		conn, err := libpeers.Dial(cfg.SLAAddr, id)
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
	st := store.New(pool, keys)
	ticketserver.New(app.New(st, outbox.NewEnqueuer(jobs))).Register(srv.GRPC())
	go sweepIdempotencyKeys(ctx, st, log)
	return srv.Run(ctx)
}

// keySweepEvery is how often expired idempotency keys are deleted. A key is
// also deleted when its caller uses it again after it expired, so the sweep
// only keeps the table from growing; every replica runs it, harmlessly.
const keySweepEvery = time.Hour

// sweepIdempotencyKeys deletes expired idempotency keys at start and then
// every keySweepEvery until ctx ends.
func sweepIdempotencyKeys(ctx context.Context, st *store.Store, log *slog.Logger) {
	tick := time.NewTicker(keySweepEvery)
	defer tick.Stop()
	for {
		n, err := st.DeleteExpiredKeys(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("idempotency key sweep failed", "error", err.Error())
		case n > 0:
			log.Info("idempotency keys expired", "deleted", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
