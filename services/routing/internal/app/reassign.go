package app

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// ReassignRequest is a manual reassignment.
type ReassignRequest struct {
	TicketID string
	TeamID   string
	PersonID string
	Note     string
	// By is the user id of the manager or admin.
	By string
	// MayHandleGBV says whether the caller may reassign GBV tickets: only
	// the tenant's SAPS liaison. For anyone else a GBV ticket is NotFound,
	// exactly as a missing id, so the answer tells nothing about it.
	MayHandleGBV bool
}

// ReassignTicket moves a ticket's current assignment to another team of the
// same municipality (a SAPS team for GBV), optionally to one of its members.
func (a *App) ReassignTicket(ctx context.Context, scope pg.Scope, r ReassignRequest) (domain.Assignment, error) {
	var out domain.Assignment
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		cur, err := store.LockCurrent(ctx, tx, r.TicketID)
		if err != nil {
			return notFound(err, "ticket "+r.TicketID)
		}
		if cur.Category == domain.CategoryGBV && !r.MayHandleGBV {
			return apperr.NotFound("ticket " + r.TicketID)
		}
		team, err := store.GetTeam(ctx, tx, r.TeamID, false)
		if errors.Is(err, domain.ErrNotFound) || (err == nil && team.Tenant != cur.Tenant) {
			return apperr.Invalid("team_id", "must be a team of the ticket's municipality")
		}
		if err != nil {
			return err
		}
		if err := checkReassignTarget(cur, team, r.PersonID); err != nil {
			return err
		}
		if err := store.ClearCurrent(ctx, tx, r.TicketID); err != nil {
			return err
		}
		got, _, err := store.InsertAssignment(ctx, tx, a.keys, domain.Assignment{
			Tenant: cur.Tenant, TicketID: r.TicketID, Category: cur.Category, TeamID: team.ID, PersonID: r.PersonID,
			AssignedBy: r.By, Reason: domain.ReasonManualOverride, Note: r.Note, IsCurrent: true,
		}, nil)
		if err != nil {
			return gbvWall(err)
		}
		out = got
		if err := a.outbox.AssignmentChanged(ctx, tx, got); err != nil {
			return err
		}
		// The writer gets the note back: an answer with GBV content.
		return a.disclose(ctx, tx, scope, actionReassignTicket, &out)
	})
	if err != nil {
		return domain.Assignment{}, fmt.Errorf("app.ReassignTicket: %w", err)
	}
	return out, nil
}

func checkReassignTarget(cur domain.Assignment, team domain.Team, personID string) error {
	if !team.Active {
		return apperr.FailedPrecondition(fmt.Sprintf("team %s is inactive", team.Name))
	}
	if cur.Category == domain.CategoryGBV && !(team.IsSAPS && team.Tenant == cur.Tenant) {
		return apperr.Invalid("team_id", "a GBV ticket can only be assigned to a SAPS liaison team")
	}
	if personID == "" || personID == team.ManagerID {
		return nil
	}
	if !slices.ContainsFunc(team.Members, func(m domain.Member) bool { return m.UserID == personID }) {
		return apperr.Invalid("person_id", "must be a member or the manager of the team")
	}
	return nil
}
