package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// RecordClockEvent adds an SLA warning or breach of a ticket of the
// caller's job to its history (internal RPC), once per event id: the
// ticket's row lock orders concurrent deliveries. The entry holds ids and
// times only; its notice tells the notification service.
func (a *App) RecordClockEvent(ctx context.Context, e domain.ClockEvent) (bool, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, &e)
	if err != nil {
		return false, err
	}
	applied := false
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		t, _, err := a.store.LockForService(ctx, tx, e.Tenant, e.TicketID)
		if err != nil {
			return err
		}
		seen, err := a.store.HasHistoryEvent(ctx, tx, t.ID, e.EventID)
		if applied = err == nil && !seen; !applied {
			return err
		}
		h, err := a.appendSystem(ctx, tx, t, e.Entry())
		if err != nil {
			return err
		}
		return a.jobs.Notify(ctx, tx, e.Notice(t, h))
	})
	return applied, wrap("RecordClockEvent", err)
}
