package app

import (
	"context"

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
	applied := false
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		applied, err = a.recordDeadlines(ctx, tx, d)
		return err
	})
	return applied, wrap("RecordDeadlines", err)
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
	applied := make([]bool, len(b.Items))
	order := byTicket(len(b.Items), func(i int) string { return b.Items[i].TicketID })
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		for _, i := range order {
			if applied[i], err = a.recordDeadlines(ctx, tx, *b.Items[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap("BatchRecordDeadlines", err)
	}
	return applied, nil
}

// recordDeadlines applies d in tx.
func (a *App) recordDeadlines(ctx context.Context, tx pgx.Tx, d domain.Deadlines) (bool, error) {
	t, m, err := a.store.LockForService(ctx, tx, d.Tenant, d.TicketID)
	if err != nil {
		return false, err
	}
	if d.Revision <= m.Revision {
		return false, nil
	}
	if domain.SameTime(m.Response, d.Response) && domain.SameTime(m.Resolution, d.Resolution) {
		return true, a.store.SetDeadlines(ctx, tx, d)
	}
	// Deadlines alone tell no reporter: the notices that carry them are
	// the SLA warnings and breaches. Routing's queues sort by them.
	h, err := a.store.SetDeadlinesWithHistory(ctx, tx, t, d, a.systemEntry(d.Entry()))
	if err != nil {
		return false, err
	}
	t.ResponseDeadline, t.ResolutionDeadline = d.Response, d.Resolution
	return true, a.jobs.DeadlinesChanged(ctx, tx, t, h)
}
