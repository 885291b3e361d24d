// Command notify runs the notify service: it takes the ticket service's
// events, decides who must hear of each and on which channel, and sends
// every message once, through the providers configured here. With
// MIGRATE_ONLY=1 it prepares its database and exits.
package main

import (
	"context"
	"log/slog"
	_ "time/tzdata" // Africa/Johannesburg on images without a zone database

	"github.com/jackc/pgx/v5/pgxpool"

	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/server"
	"github.com/salga/trustengine/services/notify/internal/app"
	"github.com/salga/trustengine/services/notify/internal/domain"
	"github.com/salga/trustengine/services/notify/internal/outbox"
	"github.com/salga/trustengine/services/notify/internal/peers"
	notifyserver "github.com/salga/trustengine/services/notify/internal/server"
	"github.com/salga/trustengine/services/notify/internal/store"
	"github.com/salga/trustengine/services/notify/migrations"
)

func main() { server.Main("notify", serve, server.Migrate(prepare)) }

// serve runs the service until ctx ends.
func serve(ctx context.Context) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	proc, keys, err := server.OpenSealed(ctx, "notify", cfg.Common, cfg.GBV, sealsNothing)
	if err != nil {
		return err
	}
	defer proc.Close()

	svc, conns, err := peers.Dial(libpeers.Service([]byte(cfg.ServiceJWTSecret), "notify"), cfg.RoutingAddr, cfg.SLAAddr)
	if err != nil {
		return err
	}
	defer conns.Close()
	inserter, err := outbox.NewInserter(proc.Pool, proc.Log)
	if err != nil {
		return err
	}
	links := domain.Links{Secret: []byte(cfg.LinkSecret), BaseURL: cfg.PublicURL}
	p, err := providers(cfg, links)
	if err != nil {
		return err
	}
	o := app.Options{Pool: proc.Pool, Store: store.New(keys), Jobs: outbox.NewEnqueuer(inserter), Senders: p.senders,
		Inbound: p.inbound, Links: links, DevMode: cfg.DevMode}
	if svc.Routing != nil {
		o.Teams = svc.Routing
	}
	if svc.SLA != nil {
		o.Calendars = svc.SLA
	}
	a := app.New(o)
	w := outbox.Work{Deliverer: a, Channels: p.channels(), Replica: proc.Replica()}
	if svc.Routing != nil && svc.SLA != nil {
		w.Planner = a
	} else {
		proc.Log.Warn("ROUTING_ADDR or SLA_ADDR is empty: events are recorded here, and planned by a process that has both")
	}
	jobs, err := outbox.NewQueue(proc.Pool, proc.Log, w)
	if err != nil {
		return err
	}
	logProviders(proc.Log, p)

	srv := proc.Server(server.Options{
		Queue:      jobs,
		Background: []func(context.Context) error{a.ReleaseLoop(proc.Log, cfg.ReleaseInterval)},
	})
	notifyserver.New(a).Register(srv.GRPC())
	return srv.Run(ctx)
}

// prepare is the start-up preparation of the database, the same before
// serving and in migrate-only mode: PostGIS, the application role, the
// migrations of schema "notify" and River's tables in it, each under its
// own advisory lock so replicas and the migration Job may run it at once.
func prepare(ctx context.Context, pool *pgxpool.Pool) error {
	if err := pg.Prepare(ctx, pool, outbox.Schema, migrations.FS); err != nil {
		return err
	}
	return queue.Migrate(ctx, pool, outbox.Schema)
}

// sealsNothing is prepare for server.OpenSealed: notify seals a GBV
// reporter's contact as it records it, so it needs the key ring to serve,
// but no version of it kept one in plain text, so preparing needs no keys
// (and its migration Job none: server.Migrate).
func sealsNothing(*seal.Keyring) server.Prepare { return prepare }

// logProviders says which channels this process sends on.
func logProviders(log *slog.Logger, p providerSet) {
	var chs []string
	for _, ch := range p.channels() {
		chs = append(chs, string(ch))
	}
	log.Info("notify channels", "sends", chs, "webhooks", len(p.inbound))
}
