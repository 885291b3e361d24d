package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// RouteRequest is a ticket to route.
type RouteRequest struct {
	Tenant   string
	TicketID string
	Category domain.Category
	Lat, Lng float64
}

// RouteTicket gives a new ticket its routing assignment. It is idempotent
// per ticket: a repeat, or a call racing another, returns the one stored
// routing assignment and its original decision.
func (a *App) RouteTicket(ctx context.Context, scope pg.Scope, r RouteRequest) (domain.Assignment, domain.Decision, error) {
	var asg domain.Assignment
	var dec domain.Decision
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		var err error
		asg, dec, err = store.RoutingAssignment(ctx, tx, r.TicketID)
		if !errors.Is(err, domain.ErrNotFound) {
			return a.discloseFound(ctx, tx, scope, actionRouteTicket, err, &asg)
		}
		dec, err = decide(ctx, tx, store.RouteQuery{Tenant: r.Tenant, Category: r.Category, Lat: r.Lat, Lng: r.Lng})
		if err != nil {
			return err
		}
		// An escalation or reassignment that somehow arrived first stays
		// current; the routing decision is still recorded in the history.
		hasCurrent, err := store.HasCurrent(ctx, tx, r.TicketID)
		if err != nil {
			return err
		}
		got, inserted, err := store.InsertAssignment(ctx, tx, a.keys, domain.Assignment{
			Tenant: r.Tenant, TicketID: r.TicketID, Category: r.Category, TeamID: dec.TeamID,
			PersonID: dec.PersonID, AssignedBy: domain.SystemActor, Reason: dec.Reason, IsCurrent: !hasCurrent,
		}, &dec)
		if err != nil {
			return gbvWall(err)
		}
		if !inserted {
			// A concurrent call won the unique index; return its result.
			asg, dec, err = store.RoutingAssignment(ctx, tx, r.TicketID)
			return a.discloseFound(ctx, tx, scope, actionRouteTicket, err, &asg)
		}
		asg = got
		if asg.IsCurrent {
			if err := a.outbox.AssignmentChanged(ctx, tx, asg); err != nil {
				return err
			}
		}
		// A routing assignment has no note; disclose keeps that a fact
		// checked on every answer rather than an assumption.
		return a.disclose(ctx, tx, scope, actionRouteTicket, &asg)
	})
	if err != nil {
		return domain.Assignment{}, domain.Decision{}, fmt.Errorf("app.RouteTicket: %w", err)
	}
	return asg, dec, nil
}

// ExplainRoute answers what RouteTicket would decide now, assigning nothing.
// It reads in one round trip (two when the chosen team has members).
func (a *App) ExplainRoute(ctx context.Context, scope pg.Scope, q store.RouteQuery) (domain.Decision, error) {
	var c store.Candidates
	if err := pg.Read(ctx, a.pool, scope, func(b *pgx.Batch) { store.QueueCandidates(b, q, &c) }); err != nil {
		return domain.Decision{}, fmt.Errorf("app.ExplainRoute: %w", err)
	}
	d := decision(c)
	if d.TeamID != "" && d.Candidates[0].HasMembers {
		err := pg.Read(ctx, a.pool, scope, func(b *pgx.Batch) { store.QueueLeastLoadedMember(b, d.TeamID, &d.PersonID) })
		if err != nil {
			return domain.Decision{}, fmt.Errorf("app.ExplainRoute: %w", err)
		}
	}
	d.Explain(q.Category)
	return d, nil
}

// decide applies the routing rules (see store.FindCandidates) and, when the
// chosen team has members, picks the least loaded one. Eligibility (GBV
// only to SAPS teams) is in the store's team filter, so no rule can pick a
// non-SAPS team for GBV.
func decide(ctx context.Context, tx pgx.Tx, q store.RouteQuery) (domain.Decision, error) {
	c, err := store.FindCandidates(ctx, tx, q)
	if err != nil {
		return domain.Decision{}, fmt.Errorf("decide: %w", err)
	}
	d := decision(c)
	if d.TeamID != "" && d.Candidates[0].HasMembers {
		if d.PersonID, err = store.LeastLoadedMember(ctx, tx, d.TeamID); err != nil {
			return d, fmt.Errorf("decide: %w", err)
		}
	}
	d.Explain(q.Category)
	return d, nil
}

// decision chooses the best of the candidates; with none the ticket goes
// to triage.
func decision(c store.Candidates) domain.Decision {
	d := domain.Decision{Reason: domain.ReasonTriage}
	if len(c.Teams) > 0 {
		d.Candidates = c.Teams
		d.Choose(0, c.Reason)
	}
	return d
}
