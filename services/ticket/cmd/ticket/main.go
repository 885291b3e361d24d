// Command ticket runs the ticket service: the ticket life cycle over gRPC,
// with its job queue delivering ticket events to routing, SLA and notify.
// With MIGRATE_ONLY=1 it prepares its database and exits.
package main

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/server"
	"github.com/salga/trustengine/services/ticket/internal/app"
	"github.com/salga/trustengine/services/ticket/internal/outbox"
	"github.com/salga/trustengine/services/ticket/internal/peers"
	ticketserver "github.com/salga/trustengine/services/ticket/internal/server"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

func main() { server.Main("ticket", serve, server.MigrateSealed(prepare)) }

// serve runs the service until ctx ends.
func serve(ctx context.Context) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	proc, keys, err := server.OpenSealed(ctx, "ticket", cfg.Common, cfg.GBV, prepare)
	if err != nil {
		return err
	}
	defer proc.Close()

	targets, conns, err := peers.Dial(libpeers.Service([]byte(cfg.ServiceJWTSecret), "ticket"), cfg.RoutingAddr, cfg.SLAAddr, cfg.NotifyAddr)
	if err != nil {
		return err
	}
	defer conns.Close()
	targets.Keys, targets.Replica = keys, proc.Replica()
	jobs, err := outbox.NewQueue(proc.Pool, proc.Log, targets)
	if err != nil {
		return err
	}
	photos, err := cfg.photos(ctx)
	if err != nil {
		return err
	}
	a := app.New(proc.Pool, store.New(keys), outbox.NewEnqueuer(jobs, keys)).WithPhotos(photos)
	// Uploads a crashed process was receiving: older than any upload may
	// take, they are nobody's. Only a serving process touches the spool;
	// migrate-only mode never gets here.
	if n, err := a.CleanSpool(cfg.UploadTimeout + time.Hour); err != nil {
		proc.Log.Warn("spool cleanup failed", "error", err.Error())
	} else if n > 0 {
		proc.Log.Info("spool files of unfinished uploads deleted", "files", n)
	}

	srv := proc.Server(server.Options{
		// 16 MiB lets an oversized description reach validation and get
		// InvalidArgument naming the field, not a bare ResourceExhausted.
		ServerOptions: []grpc.ServerOption{grpc.MaxRecvMsgSize(ticketserver.MaxRecvMsgSize)},
		Queue:         jobs,
		Background:    []func(context.Context) error{a.SweepKeys(proc.Log), a.SweepAttachments(proc.Log)},
	})
	ticketserver.New(a).Register(srv.GRPC())
	return srv.Run(ctx)
}

// prepare is the start-up preparation of the database, the same before
// serving and in migrate-only mode: PostGIS, the application role, the
// migrations of schema "ticket", the sealing of GBV text older versions
// kept in plain text (which needs keys), and River's tables.
func prepare(keys *seal.Keyring) server.Prepare {
	return func(ctx context.Context, pool *pgxpool.Pool) error {
		if err := store.Prepare(ctx, pool, keys); err != nil {
			return err
		}
		return queue.Migrate(ctx, pool, outbox.Schema)
	}
}
