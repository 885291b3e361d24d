package app

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// RouteTicket gives a new ticket of the caller's job its routing
// assignment (internal RPC). It is idempotent per ticket: a repeat, or a
// call racing another, returns the one stored routing assignment and its
// original decision.
func (a *App) RouteTicket(ctx context.Context, r domain.RouteRequest) (domain.Assignment, domain.Decision, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, r)
	if err != nil {
		return domain.Assignment{}, domain.Decision{}, err
	}
	var (
		asg domain.Assignment
		dec domain.Decision
	)
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		asg, dec, err = a.routeTicket(ctx, tx, c, r)
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
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		for _, i := range order {
			if out[i].Assignment, out[i].Decision, err = a.routeTicket(ctx, tx, c, b.Items[i]); err != nil {
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

// routeTicket routes r in tx, or returns its earlier routing.
func (a *App) routeTicket(ctx context.Context, tx pgx.Tx, c access.Caller, r domain.RouteRequest) (asg domain.Assignment, dec domain.Decision, err error) {
	// The look-up of an earlier routing, the search and whether the
	// ticket has a current assignment go out in one round trip.
	look, err := a.store.LookUpRoute(ctx, tx, r.TicketID, r.Query())
	if err != nil || look.Found {
		asg, dec = look.Assignment, look.Decision
		err = a.discloseFound(ctx, tx, c, err, &asg)
		return asg, dec, err
	}
	if dec, err = a.decideFrom(ctx, tx, r.Query(), look.Candidates); err != nil {
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
