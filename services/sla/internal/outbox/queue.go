package outbox

import (
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/salga/trustengine/libs/queue"
)

// Schema is where River's tables live: the SLA service's own schema
// (libs/queue.Migrate puts them there at start-up).
const Schema = "sla"

// Peers are the delivery targets; a nil one gets no queue here, so its jobs
// wait in the table until a process that knows the peer runs.
type Peers struct {
	// Routing delivers escalations, when configured.
	Routing RoutingClient
	// Ticket delivers deadlines and clock events, when configured.
	Ticket TicketClient
	// Notify mails produced reports to their recipients, when configured.
	Notify NotifyClient
	// Reports, when set, produces scheduled reports: the process works
	// the reports queue and runs its periodic job. It is the service's
	// own work, not a peer's, and needs no address.
	Reports ReportProducer
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
		qs = append(qs, queue.Queue{Name: QueueRouting, Workers: []queue.Worker{queue.Work(&escalateWorker{client: peers.Routing})}})
	}
	if peers.Ticket != nil {
		qs = append(qs, queue.Queue{Name: QueueTicket, MaxWorkers: queue.BatchWorkers, Workers: []queue.Worker{
			queue.Work(newRecordDeadlinesWorker(peers.Ticket)),
			queue.Work(&recordClockEventWorker{client: peers.Ticket}),
		}})
	}
	if peers.Notify != nil {
		qs = append(qs, queue.Queue{Name: QueueNotify, Unhurried: true, Workers: []queue.Worker{queue.Work(&sendReportWorker{client: peers.Notify})}})
	}
	var periodic []*river.PeriodicJob
	if peers.Reports != nil {
		qs = append(qs, queue.Queue{Name: QueueReports, Unhurried: true, Workers: []queue.Worker{queue.Work(&produceReportsWorker{produce: peers.Reports})}})
		periodic = append(periodic, reportsPeriodic())
	}
	c, err := queue.New(queue.Options{Pool: pool, Schema: Schema, Logger: logger, Queues: qs, Periodic: periodic, Replica: peers.Replica})
	if err != nil {
		return nil, fmt.Errorf("outbox.NewQueue: %w", err)
	}
	return c, nil
}
