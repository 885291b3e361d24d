package outbox

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// Enqueuer records jobs in the transaction of a change; package app uses
// it (app.Jobs).
type Enqueuer struct {
	jobs *queue.Client
}

// NewEnqueuer returns an Enqueuer inserting with jobs (NewInserter).
func NewEnqueuer(jobs *queue.Client) *Enqueuer { return &Enqueuer{jobs: jobs} }

// PlanEvent records that event id of tenant must be planned.
func (e *Enqueuer) PlanEvent(ctx context.Context, tx pgx.Tx, tenant, id string) error {
	if err := e.jobs.InsertTx(ctx, tx, PlanEventArgs{Tenant: tenant, EventID: id}); err != nil {
		return fmt.Errorf("outbox.PlanEvent: %w", err)
	}
	return nil
}

// Deliver records that m must be sent, on its channel's queue.
func (e *Enqueuer) Deliver(ctx context.Context, tx pgx.Tx, m domain.Message) error {
	if err := e.jobs.InsertTx(ctx, tx, DeliverArgs{Tenant: m.Tenant, MessageID: m.ID, Channel: m.Channel}); err != nil {
		return fmt.Errorf("outbox.Deliver: %w", err)
	}
	return nil
}
