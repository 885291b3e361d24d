package outbox

import (
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/seal"
)

// Schema is where River's tables live: the ticket service's own schema
// (libs/queue.Migrate puts them there at start-up).
const Schema = "ticket"

// Peers are the delivery targets; a nil one gets no queue here, so its jobs
// wait in the table until a process that knows the peer runs.
type Peers struct {
	// Routing delivers route and status jobs, when configured.
	Routing RoutingClient
	// SLA delivers SLA events, when configured.
	SLA SLAClient
	// Notify delivers notification events, when configured; Keys opens
	// the contacts they carry sealed.
	Notify NotifyClient
	Keys   *seal.Keyring
	// Replica names this process among the service's replicas
	// (queue.Options.Replica), so a restarted run takes back at once what
	// a killed one left running.
	Replica string
}

// NewQueue builds the service's job queue (libs/queue): it inserts every
// kind of job, and works the queue of each peer that is set.
func NewQueue(pool *pgxpool.Pool, logger *slog.Logger, peers Peers) (*queue.Client, error) {
	var qs []queue.Queue
	if peers.Routing != nil {
		qs = append(qs, queue.Queue{Name: QueueRouting, MaxWorkers: queue.BatchWorkers, Workers: []queue.Worker{
			queue.Work(newRouteTicketWorker(peers.Routing)),
			queue.Work(newRoutingStatusWorker(peers.Routing)),
		}})
	}
	if peers.SLA != nil {
		qs = append(qs, queue.Queue{Name: QueueSLA, MaxWorkers: queue.BatchWorkers, Workers: []queue.Worker{queue.Work(newSLAEventWorker(peers.SLA))}})
	}
	if peers.Notify != nil {
		qs = append(qs, queue.Queue{Name: QueueNotify, MaxWorkers: queue.BatchWorkers,
			Workers: []queue.Worker{queue.Work(newNotifyWorker(peers.Notify, peers.Keys))}})
	}
	c, err := queue.New(queue.Options{Pool: pool, Schema: Schema, Logger: logger, Queues: qs, Replica: peers.Replica})
	if err != nil {
		return nil, fmt.Errorf("outbox.NewQueue: %w", err)
	}
	return c, nil
}
