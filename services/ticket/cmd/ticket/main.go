// Command ticket runs the ticket service: the ticket life cycle over gRPC,
// with its job queue delivering ticket events to routing and SLA.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"google.golang.org/grpc"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/logging"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/server"
	"github.com/salga/trustengine/services/ticket/internal/app"
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
	cfg, err := loadConfig()
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

	targets, conns, err := peers.Dial(libpeers.Service([]byte(cfg.ServiceJWTSecret), "ticket"), cfg.RoutingAddr, cfg.SLAAddr)
	if err != nil {
		return err
	}
	defer conns.Close()
	jobs, err := outbox.NewQueue(pool, log, targets)
	if err != nil {
		return err
	}
	photos, err := cfg.photos(ctx)
	if err != nil {
		return err
	}
	a := app.New(pool, store.New(keys), outbox.NewEnqueuer(jobs)).WithPhotos(photos)
	// Uploads a crashed process was receiving: older than any upload may
	// take, they are nobody's.
	if n, err := a.CleanSpool(cfg.UploadTimeout + time.Hour); err != nil {
		log.Warn("spool cleanup failed", "error", err.Error())
	} else if n > 0 {
		log.Info("spool files of unfinished uploads deleted", "files", n)
	}

	reflect, openReflect := cfg.Reflection()
	srv := server.New(server.Options{
		Name: "ticket", GRPCAddr: cfg.GRPCAddr, AdminAddr: cfg.AdminAddr, Logger: log,
		Verifier: verifier, ShutdownTimeout: cfg.ShutdownTimeout,
		Reflection: reflect, OpenReflection: openReflect,
		// 16 MiB lets an oversized description reach validation and get
		// InvalidArgument naming the field, not a bare ResourceExhausted.
		ServerOptions: []grpc.ServerOption{grpc.MaxRecvMsgSize(ticketserver.MaxRecvMsgSize)},
		Ready:         func(ctx context.Context) error { return pool.Ping(ctx) },
		Queue:         jobs,
		Background:    []func(context.Context) error{a.SweepKeys(log), a.SweepAttachments(log)},
	})
	ticketserver.New(a).Register(srv.GRPC())
	return srv.Run(ctx)
}
