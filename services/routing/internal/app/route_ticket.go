package app

import (
	"context"

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
		// The look-up of an earlier routing, the search and whether the
		// ticket has a current assignment go out in one round trip.
		look, err := a.store.LookUpRoute(ctx, tx, r.TicketID, r.Query())
		if err != nil || look.Found {
			asg, dec = look.Assignment, look.Decision
			return a.discloseFound(ctx, tx, c, err, &asg)
		}
		if dec, err = a.decideFrom(ctx, tx, r.Query(), look.Candidates); err != nil {
			return err
		}
		// An escalation or reassignment that somehow arrived first stays
		// current; the routing decision is still recorded in the history.
		hasCurrent := look.HasCurrent
		var found bool
		got, inserted, err := a.store.InsertAssignment(ctx, tx, domain.Assignment{
			Tenant: r.Tenant, TicketID: r.TicketID, Category: r.Category, TeamID: dec.TeamID,
			PersonID: dec.PersonID, AssignedBy: domain.SystemActor, Reason: dec.Reason, IsCurrent: !hasCurrent,
		}, &dec)
		if err != nil {
			return err
		}
		if !inserted {
			// A concurrent call won the unique index; return its result.
			if asg, dec, found, err = a.store.RoutingAssignment(ctx, tx, r.TicketID); err == nil && !found {
				err = domain.ErrTicketNotFound
			}
			return a.discloseFound(ctx, tx, c, err, &asg)
		}
		asg = got
		asg.WardCode = dec.WardCode
		if asg.IsCurrent {
			if err := a.jobs.AssignmentChanged(ctx, tx, asg); err != nil {
				return err
			}
		}
		// A routing assignment has no note; disclose keeps that a fact
		// checked on every answer rather than an assumption.
		return a.disclose(ctx, tx, c, domain.ActionRouteTicket, &asg)
	})
	if err != nil {
		return domain.Assignment{}, domain.Decision{}, wrap("RouteTicket", err)
	}
	return asg, dec, nil
}

// discloseFound discloses the routing assignment a look-up found without
// error.
func (a *App) discloseFound(ctx context.Context, tx pgx.Tx, c access.Caller, err error, asg *domain.Assignment) error {
	if err != nil {
		return err
	}
	return a.disclose(ctx, tx, c, domain.ActionRouteTicket, asg)
}
