// Command sla runs the SLA service: policies, calendars, ticket clocks and
// the sweep that warns and escalates, with its job queue delivering
// deadlines and clock events to the ticket service and escalations to
// routing. With MIGRATE_ONLY=1 it only migrates its schema and exits.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/logging"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/server"
	"github.com/salga/trustengine/services/sla/internal/app"
	"github.com/salga/trustengine/services/sla/internal/outbox"
	"github.com/salga/trustengine/services/sla/internal/peers"
	slaserver "github.com/salga/trustengine/services/sla/internal/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "sla:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	only, err := migrateOnly()
	if err != nil {
		return err
	}
	if only {
		return migrate(ctx)
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	log := logging.New(cfg.LogLevel)
	verifier, err := auth.NewVerifierFromConfig(cfg.VerifierConfig())
	if err != nil {
		return err
	}
	pool, err := pg.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := prepare(ctx, pool); err != nil {
		return err
	}

	targets, conns, err := peers.Dial(libpeers.Service([]byte(cfg.ServiceJWTSecret), "sla"), cfg.RoutingAddr, cfg.TicketAddr)
	if err != nil {
		return err
	}
	defer conns.Close()
	jobs, err := outbox.NewQueue(pool, log, targets)
	if err != nil {
		return err
	}
	a := app.New(pool, outbox.NewEnqueuer(jobs), cfg.SweepBatch)

	reflect, openReflect := cfg.Reflection()
	srv := server.New(server.Options{
		Name: "sla", GRPCAddr: cfg.GRPCAddr, AdminAddr: cfg.AdminAddr, Logger: log,
		Verifier: verifier, ShutdownTimeout: cfg.ShutdownTimeout,
		Reflection: reflect, OpenReflection: openReflect,
		Ready:      func(ctx context.Context) error { return pool.Ping(ctx) },
		Queue:      jobs,
		Background: []func(context.Context) error{a.SweepEvery(log, cfg.SweepInterval)},
	})
	slaserver.New(a).Register(srv.GRPC())
	log.InfoContext(ctx, "sla starting", "sweep_interval", cfg.SweepInterval.String(),
		"routing", cfg.RoutingAddr != "", "ticket", cfg.TicketAddr != "")
	return srv.Run(ctx)
}
