package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ReassignTicket moves a ticket's current assignment by hand to another
// team of its municipality (a SAPS team for GBV), optionally to one of its
// members, for team managers, municipal admins and SAPS liaisons. A GBV
// ticket exists only for the tenant's SAPS liaison: for anyone else it is
// NotFound, exactly as a missing id.
func (a *App) ReassignTicket(ctx context.Context, r domain.ReassignRequest) (domain.Assignment, error) {
	c, err := access.Check(ctx, access.Caller.RequireSupervisor)
	if err != nil {
		return domain.Assignment{}, err
	}
	if err := r.Validate(); err != nil {
		return domain.Assignment{}, err
	}
	var out domain.Assignment
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		cur, err := a.store.LockCurrent(ctx, tx, r.TicketID)
		if err != nil {
			return err
		}
		if err := domain.MayTouch(c, cur); err != nil {
			return err
		}
		team, err := a.teamOrNil(ctx, tx, r.TeamID)
		if err != nil {
			return err
		}
		if team == nil {
			return domain.ErrNotTeamOfTicket
		}
		if err := domain.MayReassignTo(cur, *team, r.PersonID); err != nil {
			return err
		}
		if err := a.store.ClearCurrent(ctx, tx, r.TicketID); err != nil {
			return err
		}
		out, _, err = a.store.InsertAssignment(ctx, tx, domain.Assignment{
			Tenant: cur.Tenant, TicketID: r.TicketID, Category: cur.Category, TeamID: team.ID, PersonID: r.PersonID,
			AssignedBy: c.Subject(), Reason: word.ReasonManualOverride, Note: r.Note, IsCurrent: true,
		}, nil)
		if err != nil {
			return err
		}
		if err := a.jobs.AssignmentChanged(ctx, tx, out); err != nil {
			return err
		}
		// The writer gets the note back: an answer with GBV content.
		return a.disclose(ctx, tx, c, domain.ActionReassignTicket, &out)
	})
	if err != nil {
		return domain.Assignment{}, wrap("ReassignTicket", err)
	}
	return out, nil
}
