package app

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// RecordTicketStatus stores the status of a ticket of the caller's job
// (internal RPC), unless a later one is known; it reports whether it
// applied. Queues leave finished tickets out, and a member's load counts
// only open ones.
func (a *App) RecordTicketStatus(ctx context.Context, r domain.StatusReport) (bool, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, r)
	if err != nil {
		return false, err
	}
	var applied bool
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		applied, err = a.store.RecordStatus(ctx, tx, r)
		return err
	})
	return applied, wrap("RecordTicketStatus", err)
}

// BatchRecordTicketStatus is RecordTicketStatus for many tickets of the
// caller's job in one transaction (internal RPC): each is applied as it
// would be alone, in the order of their tickets (one ticket's in the order
// of the request), so that concurrent batches lock in one order; it
// reports, per item, whether it applied.
func (a *App) BatchRecordTicketStatus(ctx context.Context, b access.Batch[domain.StatusReport]) ([]bool, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, b)
	if err != nil {
		return nil, err
	}
	order := b.Order(func(x, y domain.StatusReport) int { return strings.Compare(x.TicketID, y.TicketID) })
	sorted := make([]domain.StatusReport, len(order))
	for j, i := range order {
		sorted[j] = b.Items[i]
	}
	var got []bool
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		got, err = a.store.RecordStatuses(ctx, tx, sorted)
		return err
	})
	if err != nil {
		return nil, wrap("BatchRecordTicketStatus", err)
	}
	applied := make([]bool, len(b.Items))
	for j, i := range order {
		applied[i] = got[j]
	}
	return applied, nil
}
