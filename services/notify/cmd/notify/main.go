// Command notify runs the notify service: it takes the ticket service's
// events, decides who must hear of each and on which channel, and sends
// every message once, through the providers configured here.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Africa/Johannesburg on images without a zone database

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/logging"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/server"
	"github.com/salga/trustengine/services/notify/internal/app"
	"github.com/salga/trustengine/services/notify/internal/domain"
	"github.com/salga/trustengine/services/notify/internal/outbox"
	"github.com/salga/trustengine/services/notify/internal/peers"
	notifyserver "github.com/salga/trustengine/services/notify/internal/server"
	"github.com/salga/trustengine/services/notify/internal/store"
	"github.com/salga/trustengine/services/notify/migrations"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "notify:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	log := logging.New(cfg.LogLevel)
	pool, err := pg.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := pg.Prepare(ctx, pool, "notify", migrations.FS); err != nil {
		return err
	}
	if err := outbox.Migrate(ctx, pool); err != nil {
		return err
	}
	if cfg.MigrateOnly {
		log.Info("migrated schema notify")
		return nil
	}
	keys, err := cfg.GBV.Keyring(cfg.DevMode)
	if err != nil {
		return err
	}
	if keys.HoldsDevKey() {
		log.Warn("development mode: GBV reporters' contacts are sealed with the published development key")
	}
	verifier, err := auth.NewVerifierFromConfig(cfg.VerifierConfig())
	if err != nil {
		return err
	}
	svc, conns, err := peers.Dial(libpeers.Service([]byte(cfg.ServiceJWTSecret), "notify"), cfg.RoutingAddr, cfg.SLAAddr)
	if err != nil {
		return err
	}
	defer conns.Close()
	inserter, err := outbox.NewInserter(pool, log)
	if err != nil {
		return err
	}
	links := domain.Links{Secret: []byte(cfg.LinkSecret), BaseURL: cfg.PublicURL}
	p, err := providers(cfg, links)
	if err != nil {
		return err
	}
	o := app.Options{Pool: pool, Store: store.New(keys), Jobs: outbox.NewEnqueuer(inserter), Senders: p.senders,
		Inbound: p.inbound, Links: links, DevMode: cfg.DevMode}
	if svc.Routing != nil {
		o.Teams = svc.Routing
	}
	if svc.SLA != nil {
		o.Calendars = svc.SLA
	}
	a := app.New(o)
	w := outbox.Work{Deliverer: a, Channels: p.channels()}
	if svc.Routing != nil && svc.SLA != nil {
		w.Planner = a
	} else {
		log.Warn("ROUTING_ADDR or SLA_ADDR is empty: events are recorded here, and planned by a process that has both")
	}
	jobs, err := outbox.NewQueue(pool, log, w)
	if err != nil {
		return err
	}
	logProviders(log, p)

	reflect, openReflect := cfg.Reflection()
	srv := server.New(server.Options{
		Name: "notify", GRPCAddr: cfg.GRPCAddr, AdminAddr: cfg.AdminAddr, Logger: log,
		Verifier: verifier, ShutdownTimeout: cfg.ShutdownTimeout,
		Reflection: reflect, OpenReflection: openReflect,
		Ready:      func(ctx context.Context) error { return pool.Ping(ctx) },
		Queue:      jobs,
		Background: []func(context.Context) error{a.ReleaseLoop(log, cfg.ReleaseInterval)},
	})
	notifyserver.New(a).Register(srv.GRPC())
	return srv.Run(ctx)
}

// logProviders says which channels this process sends on.
func logProviders(log *slog.Logger, p providerSet) {
	var chs []string
	for _, ch := range p.channels() {
		chs = append(chs, string(ch))
	}
	log.Info("notify channels", "sends", chs, "webhooks", len(p.inbound))
}
