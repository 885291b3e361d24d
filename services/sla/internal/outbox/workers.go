package outbox

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/salga/trustengine/libs/queue"
)

// RoutingClient is what the workers need of the routing service; the gRPC
// adapter lives in package peers.
type RoutingClient interface {
	// EscalateTicket asks routing to escalate a ticket after a breach.
	EscalateTicket(ctx context.Context, a EscalateArgs) error
}

// TicketClient is what the workers need of the ticket service.
type TicketClient interface {
	// RecordDeadlines mirrors a ticket's deadlines.
	RecordDeadlines(ctx context.Context, a RecordDeadlinesArgs) error
	// BatchRecordDeadlines mirrors the deadlines of many tickets of
	// tenant in one call.
	BatchRecordDeadlines(ctx context.Context, tenant string, as []RecordDeadlinesArgs) error
	// RecordClockEvent adds a warning or breach to a ticket's history.
	RecordClockEvent(ctx context.Context, a RecordClockEventArgs) error
}

// escalateWorker delivers EscalateArgs.
type escalateWorker struct {
	river.WorkerDefaults[EscalateArgs]
	client RoutingClient
}

// Work implements river.Worker; an error makes River retry with backoff,
// which is safe because EscalateTicket is idempotent per (ticket, level).
func (w *escalateWorker) Work(ctx context.Context, job *river.Job[EscalateArgs]) error {
	if err := w.client.EscalateTicket(ctx, job.Args); err != nil {
		return fmt.Errorf("outbox: escalate %s level %d: %w", job.Args.TicketID, job.Args.Level, err)
	}
	return nil
}

// recordDeadlinesWorker delivers RecordDeadlinesArgs, those of a tenant
// running at once in one BatchRecordDeadlines.
type recordDeadlinesWorker struct {
	river.WorkerDefaults[RecordDeadlinesArgs]
	batch *queue.Batcher[RecordDeadlinesArgs]
}

func newRecordDeadlinesWorker(c TicketClient) *recordDeadlinesWorker {
	return &recordDeadlinesWorker{batch: queue.NewBatcher(queue.BatchSize, queue.BatchSlots, c.BatchRecordDeadlines, c.RecordDeadlines)}
}

// Work implements river.Worker; the ticket service ignores revisions older
// than its own.
func (w *recordDeadlinesWorker) Work(ctx context.Context, job *river.Job[RecordDeadlinesArgs]) error {
	if err := w.batch.Do(ctx, job.Args.Tenant, job.Args); err != nil {
		return fmt.Errorf("outbox: deadlines %s#%d: %w", job.Args.TicketID, job.Args.Revision, err)
	}
	return nil
}

// recordClockEventWorker delivers RecordClockEventArgs.
type recordClockEventWorker struct {
	river.WorkerDefaults[RecordClockEventArgs]
	client TicketClient
}

// Work implements river.Worker; the ticket service records each event id
// once.
func (w *recordClockEventWorker) Work(ctx context.Context, job *river.Job[RecordClockEventArgs]) error {
	if err := w.client.RecordClockEvent(ctx, job.Args); err != nil {
		return fmt.Errorf("outbox: clock event %s: %w", job.Args.EventID, err)
	}
	return nil
}
