package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// EscalateRequest asks to escalate a ticket to a level.
type EscalateRequest struct {
	Tenant   string
	TicketID string
	Level    int32
	Reason   domain.Reason
	Note     string
}

// EscalateTicket moves the ticket to its team's escalation target (that
// team's manager, else its least-loaded member) or, without one, to its own
// team's manager; with neither it records the escalation on the same team
// with no person. A GBV ticket goes only to a SAPS target (see
// escalationTarget). Idempotent per (ticket, level): a repeat returns the
// existing escalation.
func (a *App) EscalateTicket(ctx context.Context, scope pg.Scope, r EscalateRequest) (domain.Assignment, error) {
	var out domain.Assignment
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		var err error
		if out, err = existingEscalation(ctx, tx, r); !errors.Is(err, domain.ErrNotFound) {
			return a.discloseFound(ctx, tx, scope, actionEscalateTicket, err, &out)
		}
		cur, err := store.LockCurrent(ctx, tx, r.TicketID)
		if errors.Is(err, domain.ErrNotFound) || (err == nil && cur.Tenant != r.Tenant) {
			return apperr.FailedPrecondition("ticket has no current assignment to escalate (not routed yet)")
		}
		if err != nil {
			return err
		}
		// The lock serialises escalations of this ticket: look again.
		if out, err = existingEscalation(ctx, tx, r); !errors.Is(err, domain.ErrNotFound) {
			return a.discloseFound(ctx, tx, scope, actionEscalateTicket, err, &out)
		}
		teamID, person, err := escalationTarget(ctx, tx, cur)
		if err != nil {
			return err
		}
		if err := store.ClearCurrent(ctx, tx, r.TicketID); err != nil {
			return err
		}
		got, inserted, err := store.InsertAssignment(ctx, tx, a.keys, domain.Assignment{
			Tenant: r.Tenant, TicketID: r.TicketID, Category: cur.Category, TeamID: teamID, PersonID: person,
			AssignedBy: domain.SystemActor, Reason: r.Reason, Note: r.Note, EscalationLevel: r.Level, IsCurrent: true,
		}, nil)
		if err != nil {
			return gbvWall(err)
		}
		if !inserted {
			return fmt.Errorf("escalation of ticket %s level %d collided despite the lock", r.TicketID, r.Level)
		}
		out = got
		if err := a.outbox.AssignmentChanged(ctx, tx, got); err != nil {
			return err
		}
		return a.disclose(ctx, tx, scope, actionEscalateTicket, &out)
	})
	if err != nil {
		return domain.Assignment{}, fmt.Errorf("app.EscalateTicket: %w", err)
	}
	return out, nil
}

func existingEscalation(ctx context.Context, tx pgx.Tx, r EscalateRequest) (domain.Assignment, error) {
	a, err := store.EscalationAt(ctx, tx, r.TicketID, r.Level)
	if err == nil && a.Tenant != r.Tenant {
		return domain.Assignment{}, apperr.NotFound("ticket " + r.TicketID)
	}
	return a, err
}

// discloseFound discloses an assignment a look-up found without error.
func (a *App) discloseFound(ctx context.Context, tx pgx.Tx, scope pg.Scope, action string, err error, out *domain.Assignment) error {
	if err != nil {
		return err
	}
	return a.disclose(ctx, tx, scope, action, out)
}

// escalationTarget picks the team and person an escalation of cur goes to.
//
// A GBV ticket never leaves SAPS hands, whatever the teams say: it goes to
// the escalation team only when that is a SAPS team of the ticket's
// municipality (teams are kept so, but a target may have been changed by
// data older than that rule), else it stays on its SAPS team's manager, or
// the team without a person. A GBV ticket on a team that is not a SAPS
// team (only possible in history older than the rule) is escalated to the
// triage queue, where only SAPS liaisons see it, rather than kept there.
func escalationTarget(ctx context.Context, tx pgx.Tx, cur domain.Assignment) (string, string, error) {
	if cur.TeamID == "" {
		return "", "", nil // triage has no one above it
	}
	team, err := store.GetTeam(ctx, tx, cur.TeamID, false)
	if err != nil {
		return "", "", err
	}
	gbv := cur.Category == domain.CategoryGBV
	sapsOf := func(t domain.Team) bool { return t.IsSAPS && t.Tenant == cur.Tenant }
	if gbv && !sapsOf(team) {
		return "", "", nil
	}
	if team.EscalationTeamID == "" {
		return team.ID, team.ManagerID, nil
	}
	target, err := store.GetTeam(ctx, tx, team.EscalationTeamID, false)
	if gbv && (errors.Is(err, domain.ErrNotFound) || (err == nil && !sapsOf(target))) {
		return team.ID, team.ManagerID, nil
	}
	if err != nil {
		return "", "", err
	}
	if target.ManagerID != "" {
		return target.ID, target.ManagerID, nil
	}
	person, err := store.LeastLoadedMember(ctx, tx, target.ID)
	return target.ID, person, err
}
