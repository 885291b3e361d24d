package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// RecordTicketEvent takes one event of a ticket of the caller's job
// (internal RPC, from the ticket service's outbox), once per event id: it
// records the ticket and the event (and, with the created event, the
// reporter's contact, sealed for GBV, and preferences) and a job to plan
// its messages, in one transaction. It reports whether the event was new.
func (a *App) RecordTicketEvent(ctx context.Context, ev domain.Event) (bool, error) {
	c, err := internalCaller(ctx, access.Caller.RequireService, &ev)
	if err != nil {
		return false, err
	}
	applied := false
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		now := a.timestamp()
		if err := a.Store.SaveTicket(ctx, tx, ev); err != nil {
			return err
		}
		if applied, err = a.Store.InsertEvent(ctx, tx, ev, now); err != nil || !applied {
			return err
		}
		if ev.Kind == domain.KindCreated {
			r := domain.Reporter{Tenant: ev.Tenant, TicketID: ev.TicketID, GBV: ev.IsGBV(), Subject: ev.ReporterSubject, Contact: ev.Reporter}
			if ev.Preferences != nil {
				r.Preferences = *ev.Preferences
			}
			if err := a.Store.InsertReporter(ctx, tx, r, now); err != nil {
				return err
			}
		}
		return a.Jobs.PlanEvent(ctx, tx, ev.Tenant, ev.ID)
	})
	return applied, wrap("RecordTicketEvent", err)
}
