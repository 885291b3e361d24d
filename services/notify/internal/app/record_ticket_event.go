package app

import (
	"context"
	"strings"

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
	c, err := access.ForJob(ctx, access.Caller.RequireService, &ev)
	if err != nil {
		return false, err
	}
	applied := false
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		applied, err = a.recordTicketEvent(ctx, tx, ev)
		return err
	})
	return applied, wrap("RecordTicketEvent", err)
}

// BatchRecordTicketEvents is RecordTicketEvent for many events of the
// caller's job in one transaction (internal RPC): each is recorded as it
// would be alone, in the order of their tickets (one ticket's in the order
// of the request), so that concurrent batches lock in one order; the plans
// they ask for go in as one insert at the commit (queue.InsertTx). It
// reports, per item, whether it applied.
func (a *App) BatchRecordTicketEvents(ctx context.Context, b access.Batch[*domain.Event]) ([]bool, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, b)
	if err != nil {
		return nil, err
	}
	order := b.Order(func(x, y *domain.Event) int { return strings.Compare(x.TicketID, y.TicketID) })
	applied := make([]bool, len(b.Items))
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		for _, i := range order {
			if applied[i], err = a.recordTicketEvent(ctx, tx, *b.Items[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap("BatchRecordTicketEvents", err)
	}
	return applied, nil
}

// recordTicketEvent records ev in tx and asks for its plan; it reports
// whether ev was new.
func (a *App) recordTicketEvent(ctx context.Context, tx pgx.Tx, ev domain.Event) (bool, error) {
	now := a.timestamp()
	if err := a.Store.SaveTicket(ctx, tx, ev); err != nil {
		return false, err
	}
	applied, err := a.Store.InsertEvent(ctx, tx, ev, now)
	if err != nil || !applied {
		return false, err
	}
	if ev.Kind == domain.KindCreated {
		r := domain.Reporter{Tenant: ev.Tenant, TicketID: ev.TicketID, GBV: ev.IsGBV(), Subject: ev.ReporterSubject, Contact: ev.Reporter}
		if ev.Preferences != nil {
			r.Preferences = *ev.Preferences
		}
		if err := a.Store.InsertReporter(ctx, tx, r, now); err != nil {
			return false, err
		}
	}
	return true, a.Jobs.PlanEvent(ctx, tx, ev.Tenant, ev.ID)
}
