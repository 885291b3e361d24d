package app

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// RouteTicket gives a new ticket of the caller's job its routing
// assignment (internal RPC). It is idempotent per ticket: a repeat, or a
// call racing another, returns the one stored routing assignment and its
// original decision. The ticket's state at creation, when the request
// carries it, is recorded as RecordTicketStatus would record it, in the
// same transaction.
func (a *App) RouteTicket(ctx context.Context, r domain.RouteRequest) (domain.Assignment, domain.Decision, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, r)
	if err != nil {
		return domain.Assignment{}, domain.Decision{}, err
	}
	var (
		asg domain.Assignment
		dec domain.Decision
	)
	// The look-up and the status go out with the BEGIN.
	var look store.RouteLookup
	first := func(b *pgx.Batch) {
		a.queueRouteLookup(b, r, &look)
		a.queueStatus(b, r)
	}
	err = pg.InTxReading(ctx, a.pool, c.Scope(), first, func(tx pgx.Tx) error {
		asg, dec, err = a.routeTicket(ctx, tx, c, r, &look)
		return err
	})
	if err != nil {
		return domain.Assignment{}, domain.Decision{}, wrap("RouteTicket", err)
	}
	return asg, dec, nil
}

// Routed is the outcome of routing one ticket of a batch.
type Routed struct {
	Assignment domain.Assignment
	Decision   domain.Decision
}

// BatchRouteTickets is RouteTicket for many tickets of the caller's job in
// one transaction (internal RPC): each is routed as it would be alone, in
// the order of their ticket ids, so that concurrent batches lock in one
// order; the outcomes are in the order of the requests.
func (a *App) BatchRouteTickets(ctx context.Context, b access.Batch[domain.RouteRequest]) ([]Routed, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, b)
	if err != nil {
		return nil, err
	}
	order := b.Order(func(x, y domain.RouteRequest) int { return strings.Compare(x.TicketID, y.TicketID) })
	out := make([]Routed, len(b.Items))
	// The look-ups go out with the BEGIN, one for each ticket: a ticket's
	// second request in the batch looks again once its first is routed.
	// The statuses follow them, in the tickets' order.
	looks := make([]*store.RouteLookup, len(b.Items))
	first := func(batch *pgx.Batch) {
		seen := map[string]bool{}
		for _, i := range order {
			looks[i] = nil
			if id := b.Items[i].TicketID; !seen[id] {
				seen[id] = true
				looks[i] = &store.RouteLookup{}
				a.queueRouteLookup(batch, b.Items[i], looks[i])
			}
		}
		for _, i := range order {
			a.queueStatus(batch, b.Items[i])
		}
	}
	err = pg.InTxReading(ctx, a.pool, c.Scope(), first, func(tx pgx.Tx) error {
		for _, i := range order {
			if out[i].Assignment, out[i].Decision, err = a.routeTicket(ctx, tx, c, b.Items[i], looks[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap("BatchRouteTickets", err)
	}
	return out, nil
}

// queueRouteLookup adds r's look-up to b (store.QueueRouteLookup, the
// ward at r's ward time).
func (a *App) queueRouteLookup(b *pgx.Batch, r domain.RouteRequest, l *store.RouteLookup) {
	q := r.Query()
	a.store.QueueRouteLookup(b, r.TicketID, q, q.WardTime(a.now()), l)
}

// queueStatus adds the record of r's status, if it carries one, to b
// (store.QueueRecordStatus): it depends on nothing the route reads, so it
// goes with the BEGIN.
func (a *App) queueStatus(b *pgx.Batch, r domain.RouteRequest) {
	if r.Status != nil {
		a.store.QueueRecordStatus(b, *r.Status, nil)
	}
}

// routeTicket routes r in tx, or returns its earlier routing, from look:
// r's look-up read in tx already, or nil to read it now (the earlier
// routing, the search, whether the ticket has a current assignment and
// its ward, in one round trip).
func (a *App) routeTicket(ctx context.Context, tx pgx.Tx, c access.Caller, r domain.RouteRequest, look *store.RouteLookup) (asg domain.Assignment, dec domain.Decision, err error) {
	if look == nil {
		q := r.Query()
		l, err := a.store.LookUpRoute(ctx, tx, r.TicketID, q, q.WardTime(a.now()))
		if err != nil {
			return asg, dec, err
		}
		look = &l
	}
	if look.Found {
		asg, dec = look.Assignment, look.Decision
		err = a.disclose(ctx, tx, c, domain.ActionRouteTicket, &asg)
		return asg, dec, err
	}
	if dec, err = a.decideFrom(ctx, tx, r.Query().Category, look.Candidates, look.WardCode); err != nil {
		return asg, dec, err
	}
	// An escalation or reassignment that somehow arrived first stays
	// current; the routing decision is still recorded in the history.
	got, inserted, err := a.store.InsertAssignment(ctx, tx, domain.Assignment{
		Tenant: r.Tenant, TicketID: r.TicketID, Category: r.Category, TeamID: dec.TeamID,
		PersonID: dec.PersonID, AssignedBy: domain.SystemActor, Reason: dec.Reason, IsCurrent: !look.HasCurrent,
	}, &dec)
	if err != nil {
		return asg, dec, err
	}
	if !inserted {
		// A concurrent call won the unique index; return its result.
		var found bool
		if asg, dec, found, err = a.store.RoutingAssignment(ctx, tx, r.TicketID); err == nil && !found {
			err = domain.ErrTicketNotFound
		}
		err = a.discloseFound(ctx, tx, c, err, &asg)
		return asg, dec, err
	}
	asg = got
	asg.WardCode = dec.WardCode
	if asg.IsCurrent {
		if err := a.jobs.AssignmentChanged(ctx, tx, asg); err != nil {
			return asg, dec, err
		}
	}
	// A routing assignment has no note; disclose keeps that a fact
	// checked on every answer rather than an assumption.
	err = a.disclose(ctx, tx, c, domain.ActionRouteTicket, &asg)
	return asg, dec, err
}

// discloseFound discloses the routing assignment a look-up found without
// error.
func (a *App) discloseFound(ctx context.Context, tx pgx.Tx, c access.Caller, err error, asg *domain.Assignment) error {
	if err != nil {
		return err
	}
	return a.disclose(ctx, tx, c, domain.ActionRouteTicket, asg)
}
