package outbox

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
)

// Planner is what the planning worker needs (app.App).
type Planner interface {
	// PlanEvent plans event id of tenant.
	PlanEvent(ctx context.Context, tenant, id string) error
}

// Deliverer is what the delivery worker needs (app.App).
type Deliverer interface {
	// DeliverMessage sends message id of tenant.
	DeliverMessage(ctx context.Context, tenant, id string) error
}

// planWorker works PlanEventArgs.
type planWorker struct {
	river.WorkerDefaults[PlanEventArgs]
	planner Planner
}

// Work implements river.Worker; an error makes River retry with backoff.
func (w *planWorker) Work(ctx context.Context, job *river.Job[PlanEventArgs]) error {
	if err := w.planner.PlanEvent(ctx, job.Args.Tenant, job.Args.EventID); err != nil {
		return fmt.Errorf("outbox: plan event %s: %w", job.Args.EventID, err)
	}
	return nil
}

// deliverWorker works DeliverArgs.
type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	deliverer Deliverer
}

// Work implements river.Worker.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	if err := w.deliverer.DeliverMessage(ctx, job.Args.Tenant, job.Args.MessageID); err != nil {
		return fmt.Errorf("outbox: deliver %s: %w", job.Args.MessageID, err)
	}
	return nil
}
