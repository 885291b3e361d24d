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
		t, m, err := a.store.LockForService(ctx, tx, d.Tenant, d.TicketID)
		if err != nil {
			return err
		}
		if applied = d.Revision > m.Revision; !applied {
			return nil
		}
		if err := a.store.SetDeadlines(ctx, tx, d); err != nil {
			return err
		}
		if domain.SameTime(m.Response, d.Response) && domain.SameTime(m.Resolution, d.Resolution) {
			return nil
		}
		// Deadlines alone tell no reporter: the notices that carry them
		// are the SLA warnings and breaches. Routing's queues sort by them.
		h, err := a.appendSystem(ctx, tx, t, d.Entry())
		if err != nil {
			return err
		}
		t.ResponseDeadline, t.ResolutionDeadline = d.Response, d.Resolution
		return a.jobs.DeadlinesChanged(ctx, tx, t, h)
	})
	return applied, wrap("RecordDeadlines", err)
}
