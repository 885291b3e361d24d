package outbox

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/salga/trustengine/libs/queue"
)

// Planner is what the planning worker needs (app.App).
type Planner interface {
	// PlanEvent plans event id of tenant.
	PlanEvent(ctx context.Context, tenant, id string) error
	// PlanEvents plans events ids of tenant, each as PlanEvent would, in
	// shared transactions; an error fails them all.
	PlanEvents(ctx context.Context, tenant string, ids []string) error
}

// Deliverer is what the delivery worker needs (app.App).
type Deliverer interface {
	// DeliverMessage sends message id of tenant.
	DeliverMessage(ctx context.Context, tenant, id string) error
}

// planWorker works PlanEventArgs: the jobs of one municipality running
// at once are planned together (queue.Batcher), each alone when their
// batch fails.
type planWorker struct {
	river.WorkerDefaults[PlanEventArgs]
	batch *queue.Batcher[PlanEventArgs]
}

func newPlanWorker(p Planner) *planWorker {
	many := func(ctx context.Context, tenant string, as []PlanEventArgs) error {
		ids := make([]string, len(as))
		for i, a := range as {
			ids[i] = a.EventID
		}
		return p.PlanEvents(ctx, tenant, ids)
	}
	one := func(ctx context.Context, a PlanEventArgs) error { return p.PlanEvent(ctx, a.Tenant, a.EventID) }
	return &planWorker{batch: queue.NewBatcher(queue.BatchSize, queue.BatchSlots, many, one)}
}

// Work implements river.Worker; an error makes River retry with backoff.
func (w *planWorker) Work(ctx context.Context, job *river.Job[PlanEventArgs]) error {
	if err := w.batch.Do(ctx, job.Args.Tenant, job.Args); err != nil {
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
