package app

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// RecordDeadlines mirrors SLA's deadlines of a ticket of the caller's job
// (internal RPC) when their revision is newer than the recorded one; the
// history gets an entry only when a deadline actually changed.
func (a *App) RecordDeadlines(ctx context.Context, d domain.Deadlines) (bool, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, &d)
	if err != nil {
		return false, err
	}
	var applied []bool
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		applied, err = a.recordDeadlines(ctx, tx, access.Batch[*domain.Deadlines]{Tenant: d.Tenant, Items: []*domain.Deadlines{&d}})
		return err
	})
	if err != nil {
		return false, wrap("RecordDeadlines", err)
	}
	return applied[0], nil
}

// BatchRecordDeadlines is RecordDeadlines for many tickets of the caller's
// job in one transaction (internal RPC): each is applied as it would be
// alone, in the order of their tickets so that concurrent batches lock
// tickets in one order; it reports, per item, whether it applied.
func (a *App) BatchRecordDeadlines(ctx context.Context, b access.Batch[*domain.Deadlines]) ([]bool, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, b)
	if err != nil {
		return nil, err
	}
	var applied []bool
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		applied, err = a.recordDeadlines(ctx, tx, b)
		return err
	})
	if err != nil {
		return nil, wrap("BatchRecordDeadlines", err)
	}
	return applied, nil
}

// recordDeadlines applies b's deadlines in tx, in the order of their
// tickets and in a few round trips for all of them (as
// recordAssignments); it reports, per item, whether it applied.
func (a *App) recordDeadlines(ctx context.Context, tx pgx.Tx, b access.Batch[*domain.Deadlines]) ([]bool, error) {
	items := b.Items
	order := b.Order(func(x, y *domain.Deadlines) int { return strings.Compare(x.TicketID, y.TicketID) })
	locked, err := a.store.LockManyForService(ctx, tx, b.Tenant, ticketIDs(order, func(i int) string { return items[i].TicketID }))
	if err != nil {
		return nil, err
	}
	w := a.store.NewServiceWrites()
	applied := make([]bool, len(items))
	for _, i := range order {
		d := *items[i]
		l, ok := locked[d.TicketID]
		if !ok {
			return nil, domain.ErrTicketNotFound
		}
		if d.Revision <= l.Mirror.Revision {
			continue
		}
		applied[i] = true
		if domain.SameTime(l.Mirror.Response, d.Response) && domain.SameTime(l.Mirror.Resolution, d.Resolution) {
			w.SetDeadlines(l, d)
			continue
		}
		// Deadlines alone tell no reporter: the notices that carry them
		// are the SLA warnings and breaches. Routing's queues sort by them.
		h, err := w.SetDeadlinesWithHistory(l, d, a.systemEntry(d.Entry()))
		if err != nil {
			return nil, err
		}
		if err := a.jobs.DeadlinesChanged(ctx, tx, l.Ticket, h); err != nil {
			return nil, err
		}
	}
	return applied, w.Send(ctx, tx)
}
