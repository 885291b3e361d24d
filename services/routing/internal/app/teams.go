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

// CreateTeam validates and stores a new team; areaField names the request
// field of the service area for error messages.
func (a *App) CreateTeam(ctx context.Context, scope pg.Scope, t domain.Team, areaField string) (domain.Team, error) {
	var out domain.Team
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		if err := checkTeam(ctx, tx, t, areaField, t.ServiceArea != ""); err != nil {
			return err
		}
		var err error
		out, err = store.InsertTeam(ctx, tx, t)
		return gbvWall(duplicateName(err, t))
	})
	if err != nil {
		return domain.Team{}, fmt.Errorf("app.CreateTeam: %w", err)
	}
	return out, nil
}

// TeamPatch names the fields UpdateTeam changes; nil leaves a field alone.
type TeamPatch struct {
	Name             *string
	Category         *domain.Category
	IsSAPS           *bool
	ManagerID        *string
	EscalationTeamID *string
	Members          *[]domain.Member
	Active           *bool
	// ServiceArea is checked GeoJSON, or "" to remove the area.
	ServiceArea *string
}

// UpdateTeam applies patch to team id.
func (a *App) UpdateTeam(ctx context.Context, scope pg.Scope, id string, p TeamPatch, areaField string) (domain.Team, error) {
	var out domain.Team
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		t, err := store.GetTeam(ctx, tx, id, false)
		if err != nil {
			return notFound(err, "team "+id)
		}
		before := t
		apply(&t.Name, p.Name)
		apply(&t.Category, p.Category)
		apply(&t.IsSAPS, p.IsSAPS)
		apply(&t.ManagerID, p.ManagerID)
		apply(&t.EscalationTeamID, p.EscalationTeamID)
		apply(&t.Members, p.Members)
		apply(&t.Active, p.Active)
		apply(&t.ServiceArea, p.ServiceArea)
		if err := checkTeam(ctx, tx, t, areaField, p.ServiceArea != nil && *p.ServiceArea != ""); err != nil {
			return err
		}
		if err := checkStaysSAPS(ctx, tx, before, t.IsSAPS, ""); err != nil {
			return err
		}
		out, err = store.UpdateTeam(ctx, tx, t, p.ServiceArea == nil)
		return gbvWall(duplicateName(err, t))
	})
	if err != nil {
		return domain.Team{}, fmt.Errorf("app.UpdateTeam: %w", err)
	}
	return out, nil
}

// DeactivateTeam stops a team from receiving new tickets. Its current
// tickets stay with it, so a SAPS team's GBV tickets stay with SAPS.
func (a *App) DeactivateTeam(ctx context.Context, scope pg.Scope, id string) (domain.Team, error) {
	inactive := false
	return a.UpdateTeam(ctx, scope, id, TeamPatch{Active: &inactive}, "")
}

// GetTeam returns one team of the caller's scope with its area.
func (a *App) GetTeam(ctx context.Context, scope pg.Scope, id string) (domain.Team, error) {
	var out domain.Team
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		var err error
		out, err = store.GetTeam(ctx, tx, id, true)
		return notFound(err, "team "+id)
	})
	if err != nil {
		return domain.Team{}, fmt.Errorf("app.GetTeam: %w", err)
	}
	return out, nil
}

// ListTeams lists teams by name.
func (a *App) ListTeams(ctx context.Context, scope pg.Scope, f store.TeamFilter) ([]domain.Team, error) {
	var out []domain.Team
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		var err error
		out, err = store.ListTeams(ctx, tx, f)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app.ListTeams: %w", err)
	}
	return out, nil
}

// checkTeam enforces the rules that need the database: the escalation
// target is another team of the tenant (a SAPS team for a SAPS team), and
// a new area is valid and inside the municipality.
func checkTeam(ctx context.Context, tx pgx.Tx, t domain.Team, areaField string, newArea bool) error {
	if t.EscalationTeamID != "" {
		target, err := store.GetTeam(ctx, tx, t.EscalationTeamID, false)
		if errors.Is(err, domain.ErrNotFound) || (err == nil && (target.Tenant != t.Tenant || target.ID == t.ID)) {
			return apperr.Invalid("team.escalation_team_id", "must be another team of the same municipality")
		}
		if err != nil {
			return err
		}
		if t.IsSAPS && !target.IsSAPS {
			return apperr.Invalid("team.escalation_team_id", sapsEscalationRule)
		}
	}
	if !newArea {
		return nil
	}
	buffer, err := store.BoundaryBuffer(ctx, tx, t.Tenant)
	if errors.Is(err, domain.ErrNotFound) {
		return apperr.FailedPrecondition(fmt.Sprintf("municipality %s is not registered; create it with its boundary first", t.Tenant))
	}
	if err != nil {
		return err
	}
	if err := store.CheckValid(ctx, tx, t.ServiceArea, areaField); err != nil {
		return err
	}
	return store.CheckInside(ctx, tx, t.ServiceArea, buffer, t.Tenant, areaField)
}

// sapsEscalationRule is the rule a SAPS team's escalation team breaks.
const sapsEscalationRule = "must be a SAPS team when the team is a SAPS team: GBV tickets escalate only to SAPS teams"

// checkStaysSAPS refuses to make a SAPS team (before) a non-SAPS one while
// GBV tickets depend on it: a team that holds or held a GBV ticket (every
// assignment in a GBV ticket's history names a SAPS team), or that another
// SAPS team escalates to. where names the import feature, if any.
func checkStaysSAPS(ctx context.Context, tx pgx.Tx, before domain.Team, isSAPS bool, where string) error {
	if !before.IsSAPS || isSAPS {
		return nil
	}
	held, err := store.HasHeldGBV(ctx, tx, before.ID)
	if err != nil {
		return err
	}
	if held {
		return apperr.FailedPrecondition(fmt.Sprintf("%steam %q holds or has held GBV tickets, so it stays a SAPS team; "+
			"create a new team for other work", where, before.Name))
	}
	names, err := store.SAPSTeamsEscalatingTo(ctx, tx, before.ID)
	if err != nil {
		return err
	}
	if len(names) > 0 {
		return apperr.FailedPrecondition(fmt.Sprintf("%steam %q is the escalation team of the SAPS teams %q, so it stays "+
			"a SAPS team; give them another escalation team first", where, before.Name, names))
	}
	return nil
}

func duplicateName(err error, t domain.Team) error {
	if errors.Is(err, domain.ErrDuplicateName) {
		return apperr.AlreadyExists(fmt.Sprintf("a team named %q already exists in %s", t.Name, t.Tenant))
	}
	return err
}

func apply[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
