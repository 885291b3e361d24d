package app

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/notify/internal/domain"
	"github.com/salga/trustengine/services/notify/internal/store"
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
	var applied []bool
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		applied, err = a.recordTicketEvents(ctx, tx, []domain.Event{ev})
		return err
	})
	if err != nil {
		return false, wrap("RecordTicketEvent", err)
	}
	return applied[0], nil
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
	sorted := make([]domain.Event, len(order))
	for j, i := range order {
		sorted[j] = *b.Items[i]
	}
	var got []bool
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		got, err = a.recordTicketEvents(ctx, tx, sorted)
		return err
	})
	if err != nil {
		return nil, wrap("BatchRecordTicketEvents", err)
	}
	applied := make([]bool, len(b.Items))
	for j, i := range order {
		applied[i] = got[j]
	}
	return applied, nil
}

// recordTicketEvents records evs in tx, in their order and in one round
// trip (store.RecordEvents: with a created event its reporter's contact,
// sealed for GBV, and preferences), and asks for the plans of those that
// were new; it reports, per event, whether it was new.
func (a *App) recordTicketEvents(ctx context.Context, tx pgx.Tx, evs []domain.Event) ([]bool, error) {
	news := make([]store.NewEvent, len(evs))
	for i, ev := range evs {
		news[i].Event = ev
		if ev.Kind == domain.KindCreated {
			r := domain.Reporter{Tenant: ev.Tenant, TicketID: ev.TicketID, GBV: ev.IsGBV(), Subject: ev.ReporterSubject, Contact: ev.Reporter}
			if ev.Preferences != nil {
				r.Preferences = *ev.Preferences
			}
			news[i].Reporter = &r
		}
	}
	applied, err := a.Store.RecordEvents(ctx, tx, news, a.timestamp())
	if err != nil {
		return nil, err
	}
	for i, ev := range evs {
		if !applied[i] {
			continue
		}
		if err := a.Jobs.PlanEvent(ctx, tx, ev.Tenant, ev.ID); err != nil {
			return nil, err
		}
	}
	return applied, nil
}
