package outbox

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/salga/trustengine/libs/queue"
)

// TicketClient is what the workers need of the ticket service; the gRPC
// adapter lives in package peers.
type TicketClient interface {
	// RecordAssignment mirrors a ticket's current assignment.
	RecordAssignment(ctx context.Context, a RecordAssignmentArgs) error
	// BatchRecordAssignments mirrors the assignments of many tickets of
	// tenant in one call.
	BatchRecordAssignments(ctx context.Context, tenant string, as []RecordAssignmentArgs) error
	// RecordGBVAccess logs an answer that carried opened GBV notes.
	RecordGBVAccess(ctx context.Context, a RecordGBVAccessArgs) error
}

// recordAssignmentWorker delivers RecordAssignmentArgs, those of a tenant
// running at once in one BatchRecordAssignments.
type recordAssignmentWorker struct {
	river.WorkerDefaults[RecordAssignmentArgs]
	batch *queue.Batcher[RecordAssignmentArgs]
}

func newRecordAssignmentWorker(c TicketClient) *recordAssignmentWorker {
	return &recordAssignmentWorker{batch: queue.NewBatcher(queue.BatchSize, queue.BatchSlots, c.BatchRecordAssignments, c.RecordAssignment)}
}

// Work implements river.Worker; an error makes River retry with backoff.
func (w *recordAssignmentWorker) Work(ctx context.Context, job *river.Job[RecordAssignmentArgs]) error {
	if err := w.batch.Do(ctx, job.Args.Tenant, job.Args); err != nil {
		return fmt.Errorf("outbox: record assignment %s: %w", job.Args.AssignmentID, err)
	}
	return nil
}

// recordGBVAccessWorker delivers RecordGBVAccessArgs.
type recordGBVAccessWorker struct {
	river.WorkerDefaults[RecordGBVAccessArgs]
	client TicketClient
}

// Work implements river.Worker.
func (w *recordGBVAccessWorker) Work(ctx context.Context, job *river.Job[RecordGBVAccessArgs]) error {
	if err := w.client.RecordGBVAccess(ctx, job.Args); err != nil {
		return fmt.Errorf("outbox: record GBV access %s: %w", job.Args.EventID, err)
	}
	return nil
}
