package outbox

import (
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/queue"
)

// Schema is where River's tables live: the routing service's own schema
// (libs/queue.Migrate puts them there at start-up).
const Schema = "routing"

// Peers are the delivery targets; a nil one gets no queue here, so its jobs
// wait in the table until a process that knows the peer runs.
type Peers struct {
	// Ticket delivers assignments and GBV access-log entries, when
	// configured.
	Ticket TicketClient
	// Replica names this process among the service's replicas
	// (queue.Options.Replica), so a restarted run takes back at once what
	// a killed one left running.
	Replica string
}

// NewQueue builds the service's job queue (libs/queue): it inserts every
// kind of job, and works the ticket queue (and River's default queue of
// older versions) when the ticket service is set.
func NewQueue(pool *pgxpool.Pool, logger *slog.Logger, peers Peers) (*queue.Client, error) {
	var qs []queue.Queue
	if peers.Ticket != nil {
		qs = append(qs, queue.Queue{Name: QueueTicket, MaxWorkers: queue.BatchWorkers, Workers: []queue.Worker{
			queue.Work(newRecordAssignmentWorker(peers.Ticket)),
			queue.Work(&recordGBVAccessWorker{client: peers.Ticket}),
		}}, queue.Queue{Name: queueLegacy, Unhurried: true})
	}
	c, err := queue.New(queue.Options{Pool: pool, Schema: Schema, Logger: logger, Queues: qs, Replica: peers.Replica})
	if err != nil {
		return nil, fmt.Errorf("outbox.NewQueue: %w", err)
	}
	return c, nil
}
