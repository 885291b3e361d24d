// Command sla runs the SLA service: policies, calendars, ticket clocks and
// the sweep that warns and escalates, with its job queue delivering
// deadlines and clock events to the ticket service and escalations to
// routing. With MIGRATE_ONLY=1 it prepares its database and exits.
package main

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/server"
	"github.com/salga/trustengine/services/sla/internal/app"
	"github.com/salga/trustengine/services/sla/internal/outbox"
	"github.com/salga/trustengine/services/sla/internal/peers"
	slaserver "github.com/salga/trustengine/services/sla/internal/server"
	"github.com/salga/trustengine/services/sla/migrations"
)

func main() { server.Main("sla", serve, server.Migrate(prepare)) }

// serve runs the service until ctx ends.
func serve(ctx context.Context) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	proc, err := server.Open(ctx, "sla", cfg.Common, prepare)
	if err != nil {
		return err
	}
	defer proc.Close()

	targets, conns, err := peers.Dial(libpeers.Service([]byte(cfg.ServiceJWTSecret), "sla"), cfg.RoutingAddr, cfg.TicketAddr, cfg.NotifyAddr)
	if err != nil {
		return err
	}
	defer conns.Close()
	// Scheduled reports are this process's own work: the queue's periodic
	// job calls a, which needs the queue's enqueuer first.
	var a *app.App
	targets.Reports = func(ctx context.Context) (int, error) {
		return a.ProduceDueReports(ctx, slaserver.CSV{}, proc.Log)
	}
	targets.Replica = proc.Replica()
	jobs, err := outbox.NewQueue(proc.Pool, proc.Log, targets)
	if err != nil {
		return err
	}
	a = app.New(proc.Pool, outbox.NewEnqueuer(jobs), cfg.SweepBatch)

	srv := proc.Server(server.Options{
		Queue: jobs,
		Background: []func(context.Context) error{a.SweepEvery(proc.Log, cfg.SweepInterval),
			a.FoldReportsEvery(proc.Log, cfg.ReportFoldInterval)},
	})
	slaserver.New(a).Register(srv.GRPC())
	proc.Log.InfoContext(ctx, "sla starting", "sweep_interval", cfg.SweepInterval.String(),
		"routing", cfg.RoutingAddr != "", "ticket", cfg.TicketAddr != "", "notify", cfg.NotifyAddr != "")
	return srv.Run(ctx)
}

// prepare is the start-up preparation of the database, the same before
// serving and in migrate-only mode: PostGIS, the application role, the
// migrations of schema "sla" and River's tables in it, each under its own
// advisory lock so replicas and the migration Job may run it at once.
func prepare(ctx context.Context, pool *pgxpool.Pool) error {
	if err := pg.Prepare(ctx, pool, outbox.Schema, migrations.FS); err != nil {
		return err
	}
	return queue.Migrate(ctx, pool, outbox.Schema)
}
