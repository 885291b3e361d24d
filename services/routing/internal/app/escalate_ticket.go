package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// EscalateTicket escalates a ticket of the caller's job to a level
// (internal RPC), where domain.EscalationOf says: the escalation team's
// manager or least-loaded member, else its own team's manager; a GBV
// ticket only ever within SAPS teams. Idempotent per (ticket, level): a
// repeat returns the existing escalation.
func (a *App) EscalateTicket(ctx context.Context, r domain.EscalateRequest) (domain.Assignment, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, r)
	if err != nil {
		return domain.Assignment{}, err
	}
	var out domain.Assignment
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if done, err := a.existingEscalation(ctx, tx, c, r, &out); done || err != nil {
			return err
		}
		cur, err := a.store.LockCurrent(ctx, tx, r.TicketID)
		if errors.Is(err, domain.ErrTicketNotFound) || (err == nil && cur.Tenant != r.Tenant) {
			return domain.ErrNotRouted
		}
		if err != nil {
			return err
		}
		// The lock serialises escalations of this ticket: look again.
		if done, err := a.existingEscalation(ctx, tx, c, r, &out); done || err != nil {
			return err
		}
		to, err := a.escalationOf(ctx, tx, cur)
		if err != nil {
			return err
		}
		if err := a.store.ClearCurrent(ctx, tx, r.TicketID); err != nil {
			return err
		}
		got, inserted, err := a.store.InsertAssignment(ctx, tx, domain.Assignment{
			Tenant: r.Tenant, TicketID: r.TicketID, Category: cur.Category, TeamID: to.TeamID, PersonID: to.PersonID,
			AssignedBy: domain.SystemActor, Reason: r.Reason, Note: r.Note, EscalationLevel: r.Level, IsCurrent: true,
		}, nil)
		if err != nil {
			return err
		}
		if !inserted {
			return fmt.Errorf("escalation of ticket %s level %d collided despite the lock", r.TicketID, r.Level)
		}
		out = got
		if err := a.jobs.AssignmentChanged(ctx, tx, got); err != nil {
			return err
		}
		return a.disclose(ctx, tx, c, domain.ActionEscalateTicket, &out)
	})
	if err != nil {
		return domain.Assignment{}, wrap("EscalateTicket", err)
	}
	return out, nil
}

// existingEscalation finds the escalation r asks for if it was made
// already, and readies it as the answer in out; done says it did.
func (a *App) existingEscalation(ctx context.Context, tx pgx.Tx, c access.Caller, r domain.EscalateRequest, out *domain.Assignment) (done bool, err error) {
	e, found, err := a.store.EscalationAt(ctx, tx, r.TicketID, r.Level)
	if err != nil || !found {
		return false, err
	}
	if e.Tenant != r.Tenant {
		return true, domain.ErrTicketNotFound
	}
	*out = e
	return true, a.disclose(ctx, tx, c, domain.ActionEscalateTicket, out)
}

// escalationOf reads what domain.EscalationOf decides on for the current
// assignment cur (its team and that team's escalation team) and picks the
// person when the rule leaves it to the least-loaded member.
func (a *App) escalationOf(ctx context.Context, tx pgx.Tx, cur domain.Assignment) (domain.Escalation, error) {
	var team, next *domain.Team
	if cur.TeamID != "" {
		t, err := a.store.GetTeam(ctx, tx, cur.TeamID, false)
		if err != nil {
			return domain.Escalation{}, err
		}
		team = &t
		if t.EscalationTeamID != "" {
			if next, err = a.teamOrNil(ctx, tx, t.EscalationTeamID); err != nil {
				return domain.Escalation{}, err
			}
		}
	}
	to := domain.EscalationOf(cur, team, next)
	if to.PickMember {
		var err error
		if to.PersonID, err = a.store.LeastLoadedMember(ctx, tx, to.TeamID); err != nil {
			return domain.Escalation{}, err
		}
	}
	return to, nil
}
