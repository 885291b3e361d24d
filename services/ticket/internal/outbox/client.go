package outbox

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/salga/trustengine/libs/queue"
)

// Schema is where River's tables live: the ticket service's own schema.
const Schema = "ticket"

// Migrate installs or upgrades River's tables in Schema and lets the
// application role insert jobs (inside pg.InTx transactions).
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	if err := queue.Migrate(ctx, pool, Schema); err != nil {
		return fmt.Errorf("outbox.Migrate: %w", err)
	}
	return nil
}

// Peers are the delivery targets; a nil one gets no workers and no queue, so
// its jobs wait in the table until a process that knows the peer runs.
type Peers struct {
	// Routing delivers route and status jobs, when configured.
	Routing RoutingClient
	// SLA delivers SLA events, when configured.
	SLA SLAClient
}

// NewClient builds the River client: insert-only when no peer is set, else
// working the queues of the peers that are.
func NewClient(pool *pgxpool.Pool, peers Peers, logger *slog.Logger) (*river.Client[pgx.Tx], error) {
	cfg := &river.Config{Schema: Schema, Logger: logger, SkipUnknownJobCheck: true}
	if peers.Routing != nil || peers.SLA != nil {
		workers := river.NewWorkers()
		cfg.Queues = map[string]river.QueueConfig{}
		if peers.Routing != nil {
			river.AddWorker(workers, &routeTicketWorker{client: peers.Routing})
			river.AddWorker(workers, &routingStatusWorker{client: peers.Routing})
			cfg.Queues[QueueRouting] = river.QueueConfig{MaxWorkers: queue.MaxWorkers}
		}
		if peers.SLA != nil {
			river.AddWorker(workers, &slaEventWorker{client: peers.SLA})
			cfg.Queues[QueueSLA] = river.QueueConfig{MaxWorkers: queue.MaxWorkers}
		}
		cfg.Workers = workers
	}
	c, err := river.NewClient(riverpgxv5.New(pool), queue.Configure(cfg))
	if err != nil {
		return nil, fmt.Errorf("outbox.NewClient: river.NewClient: %w", err)
	}
	return c, nil
}
