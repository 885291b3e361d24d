// Command sla runs the SLA service: policies, calendars, ticket clocks and
// the sweep that warns and escalates.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sync/errgroup"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/logging"
	"github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/queue"
	libserver "github.com/salga/trustengine/libs/server"
	"github.com/salga/trustengine/services/sla/internal/adapters"
	"github.com/salga/trustengine/services/sla/internal/app"
	"github.com/salga/trustengine/services/sla/internal/config"
	"github.com/salga/trustengine/services/sla/internal/jobs"
	"github.com/salga/trustengine/services/sla/internal/server"
	"github.com/salga/trustengine/services/sla/migrations"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "sla:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg, err := config.Load()
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
	if err := pg.Prepare(ctx, pool, "sla", migrations.FS); err != nil {
		return err
	}
	if err := jobs.Migrate(ctx, pool); err != nil {
		return err
	}

	id := peers.Service([]byte(cfg.ServiceJWTSecret), "sla")
	var routing jobs.Escalator
	var ticket jobs.Ticket
	if cfg.RoutingAddr != "" {
		conn, err := peers.Dial(cfg.RoutingAddr, id)
		if err != nil {
			return err
		}
		defer conn.Close()
		routing = adapters.Routing{Client: routingv1.NewRoutingInternalServiceClient(conn)}
	}
	if cfg.TicketAddr != "" {
		conn, err := peers.Dial(cfg.TicketAddr, id)
		if err != nil {
			return err
		}
		defer conn.Close()
		ticket = adapters.Ticket{Client: ticketv1.NewTicketInternalServiceClient(conn)}
	}
	riverClient, err := jobs.NewClient(pool, routing, ticket, cfg.JobWorkers)
	if err != nil {
		return err
	}
	if err := queue.RegisterMetrics(libserver.Registry, pool, jobs.Schema); err != nil {
		return err
	}
	a := app.New(pool, riverClient)

	reflect, openReflect := cfg.Reflection()
	srv := libserver.New(libserver.Options{Reflection: reflect, OpenReflection: openReflect, Name: "sla", GRPCAddr: cfg.GRPCAddr, AdminAddr: cfg.AdminAddr, Logger: log,
		Verifier: verifier, ShutdownTimeout: cfg.ShutdownTimeout, Ready: func(ctx context.Context) error { return pool.Ping(ctx) }})
	slav1.RegisterSlaServiceServer(srv.GRPC(), server.NewPublic(a))
	slav1.RegisterSlaInternalServiceServer(srv.GRPC(), server.NewInternal(a, cfg.SweepBatch))

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return srv.Run(gctx) })
	g.Go(func() error { a.RunSweeps(gctx, log, cfg.SweepInterval, cfg.SweepBatch); return nil })
	if routing != nil || ticket != nil {
		if err := riverClient.Start(gctx); err != nil {
			if gctx.Err() != nil {
				// The server or a sweep failed first (a port in use, say) and
				// cancelled the start; report that cause, not the cancellation.
				if werr := g.Wait(); werr != nil {
					return werr
				}
			}
			return fmt.Errorf("river start: %w", err)
		}
		queue.ObserveDeliveries(gctx, riverClient)
		g.Go(func() error {
			<-gctx.Done()
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(gctx), cfg.ShutdownTimeout)
			defer cancel()
			if err := riverClient.Stop(stopCtx); err != nil {
				return fmt.Errorf("river stop: %w", err)
			}
			return nil
		})
	}
	log.InfoContext(ctx, "sla started", "grpc", cfg.GRPCAddr, "admin", cfg.AdminAddr, "sweep_interval", cfg.SweepInterval.String(),
		"routing", cfg.RoutingAddr != "", "ticket", cfg.TicketAddr != "")
	return g.Wait()
}
