package jobs

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/salga/trustengine/libs/queue"
)

// Escalator delivers an escalation; implemented by the routing client adapter.
type Escalator interface {
	EscalateTicket(ctx context.Context, a EscalateArgs) error
}

// Ticket delivers deadlines and clock events; implemented by the ticket
// client adapter.
type Ticket interface {
	RecordDeadlines(ctx context.Context, a RecordDeadlinesArgs) error
	RecordClockEvent(ctx context.Context, a RecordClockEventArgs) error
}

// EscalateWorker works sla.escalate jobs.
type EscalateWorker struct {
	river.WorkerDefaults[EscalateArgs]
	Routing Escalator
}

// Work calls routing; an error makes River retry with backoff, which is safe
// because EscalateTicket is idempotent per (ticket, level).
func (w *EscalateWorker) Work(ctx context.Context, job *river.Job[EscalateArgs]) error {
	if err := w.Routing.EscalateTicket(ctx, job.Args); err != nil {
		return fmt.Errorf("jobs.EscalateWorker: %w", err)
	}
	return nil
}

// RecordDeadlinesWorker works sla.record_deadlines jobs.
type RecordDeadlinesWorker struct {
	river.WorkerDefaults[RecordDeadlinesArgs]
	Ticket Ticket
}

// Work calls the ticket service, which ignores revisions older than its own.
func (w *RecordDeadlinesWorker) Work(ctx context.Context, job *river.Job[RecordDeadlinesArgs]) error {
	if err := w.Ticket.RecordDeadlines(ctx, job.Args); err != nil {
		return fmt.Errorf("jobs.RecordDeadlinesWorker: %w", err)
	}
	return nil
}

// RecordClockEventWorker works sla.record_clock_event jobs.
type RecordClockEventWorker struct {
	river.WorkerDefaults[RecordClockEventArgs]
	Ticket Ticket
}

// Work calls the ticket service, which records each event id once.
func (w *RecordClockEventWorker) Work(ctx context.Context, job *river.Job[RecordClockEventArgs]) error {
	if err := w.Ticket.RecordClockEvent(ctx, job.Args); err != nil {
		return fmt.Errorf("jobs.RecordClockEventWorker: %w", err)
	}
	return nil
}

// Schema is where River's tables live: the service's own schema.
const Schema = "sla"

// NewClient builds the River client. Each peer that is configured (non-nil)
// gets its worker and queue; with neither, the client only inserts jobs,
// which wait until a replica that can deliver them runs.
func NewClient(pool *pgxpool.Pool, routing Escalator, ticket Ticket, workersPerQueue int) (*river.Client[pgx.Tx], error) {
	cfg := &river.Config{Schema: Schema}
	workers := river.NewWorkers()
	queues := map[string]river.QueueConfig{}
	if routing != nil {
		river.AddWorker(workers, &EscalateWorker{Routing: routing})
		queues[QueueRouting] = river.QueueConfig{MaxWorkers: workersPerQueue}
	}
	if ticket != nil {
		river.AddWorker(workers, &RecordDeadlinesWorker{Ticket: ticket})
		river.AddWorker(workers, &RecordClockEventWorker{Ticket: ticket})
		queues[QueueTicket] = river.QueueConfig{MaxWorkers: workersPerQueue}
	}
	if len(queues) > 0 {
		cfg.Workers, cfg.Queues = workers, queues
	}
	c, err := river.NewClient(riverpgxv5.New(pool), queue.Configure(cfg))
	if err != nil {
		return nil, fmt.Errorf("jobs.NewClient: river.NewClient: %w", err)
	}
	return c, nil
}
