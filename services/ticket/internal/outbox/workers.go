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
	// RouteTicket asks routing to assign a new ticket.
	RouteTicket(ctx context.Context, a RouteTicketArgs) error
	// BatchRouteTickets asks routing to assign many new tickets of tenant
	// in one call.
	BatchRouteTickets(ctx context.Context, tenant string, as []RouteTicketArgs) error
	// RecordTicketStatus tells routing a ticket's status.
	RecordTicketStatus(ctx context.Context, a RoutingStatusArgs) error
	// BatchRecordTicketStatus tells routing the statuses of many tickets
	// of tenant in one call.
	BatchRecordTicketStatus(ctx context.Context, tenant string, as []RoutingStatusArgs) error
}

// SLAClient is what the workers need of the SLA service.
type SLAClient interface {
	// RecordTicketEvent feeds one ticket event to the clocks.
	RecordTicketEvent(ctx context.Context, a SLAEventArgs) error
	// BatchRecordTicketEvents feeds many events of tenant's tickets to the
	// clocks in one call.
	BatchRecordTicketEvents(ctx context.Context, tenant string, as []SLAEventArgs) error
}

// routeTicketWorker delivers RouteTicketArgs, those of a tenant running at
// once in one BatchRouteTickets.
type routeTicketWorker struct {
	river.WorkerDefaults[RouteTicketArgs]
	batch *queue.Batcher[RouteTicketArgs]
}

func newRouteTicketWorker(c RoutingClient) *routeTicketWorker {
	return &routeTicketWorker{batch: queue.NewBatcher(queue.BatchSize, queue.BatchSlots, c.BatchRouteTickets, c.RouteTicket)}
}

// Work implements river.Worker; an error makes River retry with backoff.
func (w *routeTicketWorker) Work(ctx context.Context, job *river.Job[RouteTicketArgs]) error {
	if err := w.batch.Do(ctx, job.Args.Tenant, job.Args); err != nil {
		return fmt.Errorf("outbox: route ticket %s: %w", job.Args.TicketID, err)
	}
	return nil
}

// routingStatusWorker delivers RoutingStatusArgs, those of a tenant
// running at once in one BatchRecordTicketStatus.
type routingStatusWorker struct {
	river.WorkerDefaults[RoutingStatusArgs]
	batch *queue.Batcher[RoutingStatusArgs]
}

func newRoutingStatusWorker(c RoutingClient) *routingStatusWorker {
	return &routingStatusWorker{batch: queue.NewBatcher(queue.BatchSize, queue.BatchSlots, c.BatchRecordTicketStatus, c.RecordTicketStatus)}
}

// Work implements river.Worker.
func (w *routingStatusWorker) Work(ctx context.Context, job *river.Job[RoutingStatusArgs]) error {
	if err := w.batch.Do(ctx, job.Args.Tenant, job.Args); err != nil {
		return fmt.Errorf("outbox: routing status %s#%d: %w", job.Args.TicketID, job.Args.Sequence, err)
	}
	return nil
}

// slaEventWorker delivers SLAEventArgs, those of a tenant running at once
// in one BatchRecordTicketEvents.
type slaEventWorker struct {
	river.WorkerDefaults[SLAEventArgs]
	batch *queue.Batcher[SLAEventArgs]
}

func newSLAEventWorker(c SLAClient) *slaEventWorker {
	return &slaEventWorker{batch: queue.NewBatcher(queue.BatchSize, queue.BatchSlots, c.BatchRecordTicketEvents, c.RecordTicketEvent)}
}

// Work implements river.Worker.
func (w *slaEventWorker) Work(ctx context.Context, job *river.Job[SLAEventArgs]) error {
	if err := w.batch.Do(ctx, job.Args.Tenant, job.Args); err != nil {
		return fmt.Errorf("outbox: sla event %s: %w", job.Args.EventID, err)
	}
	return nil
}
