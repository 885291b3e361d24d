// Command routing runs the routing service: municipalities, teams and their
// service areas, routing decisions and assignments over gRPC, with its job
// queue delivering assignments and GBV access-log entries to the ticket
// service. With MIGRATE_ONLY=1 it prepares its database and exits.
package main

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/server"
	"github.com/salga/trustengine/services/routing/internal/app"
	"github.com/salga/trustengine/services/routing/internal/outbox"
	"github.com/salga/trustengine/services/routing/internal/peers"
	routingserver "github.com/salga/trustengine/services/routing/internal/server"
	"github.com/salga/trustengine/services/routing/internal/store"
)

func main() { server.Main("routing", serve, server.MigrateSealed(prepare)) }

// serve runs the service until ctx ends.
func serve(ctx context.Context) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	proc, keys, err := server.OpenSealed(ctx, "routing", cfg.Common, cfg.GBV, prepare)
	if err != nil {
		return err
	}
	defer proc.Close()

	targets, conns, err := peers.Dial(libpeers.Service([]byte(cfg.ServiceJWTSecret), cfg.ServiceName), cfg.TicketAddr)
	if err != nil {
		return err
	}
	defer conns.Close()
	targets.Replica = proc.Replica()
	jobs, err := outbox.NewQueue(proc.Pool, proc.Log, targets)
	if err != nil {
		return err
	}
	a := app.New(proc.Pool, store.New(keys), outbox.NewEnqueuer(jobs), proc.Log)

	srv := proc.Server(server.Options{
		// 64 MB lets imports of whole boundary files reach the service.
		ServerOptions: []grpc.ServerOption{grpc.MaxRecvMsgSize(routingserver.MaxRecvMsgSize)},
		Queue:         jobs,
		Background:    []func(context.Context) error{a.BoundaryLoop(proc.Log, cfg.BoundarySweepInterval)},
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
		return queue.Migrate(ctx, pool, outbox.Schema)
	}
}
