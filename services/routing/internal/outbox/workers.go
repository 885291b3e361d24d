package outbox

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
)

// TicketClient is what the workers need of the ticket service; the gRPC
// adapter lives in package peers.
type TicketClient interface {
	// RecordAssignment mirrors a ticket's current assignment.
	RecordAssignment(ctx context.Context, a RecordAssignmentArgs) error
	// RecordGBVAccess logs an answer that carried opened GBV notes.
	RecordGBVAccess(ctx context.Context, a RecordGBVAccessArgs) error
}

// recordAssignmentWorker delivers RecordAssignmentArgs.
type recordAssignmentWorker struct {
	river.WorkerDefaults[RecordAssignmentArgs]
	client TicketClient
}

// Work implements river.Worker; an error makes River retry with backoff.
func (w *recordAssignmentWorker) Work(ctx context.Context, job *river.Job[RecordAssignmentArgs]) error {
	if err := w.client.RecordAssignment(ctx, job.Args); err != nil {
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
