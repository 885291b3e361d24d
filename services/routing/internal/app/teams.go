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
		return duplicateName(err, t)
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
		out, err = store.UpdateTeam(ctx, tx, t, p.ServiceArea == nil)
		return duplicateName(err, t)
	})
	if err != nil {
		return domain.Team{}, fmt.Errorf("app.UpdateTeam: %w", err)
	}
	return out, nil
}

// DeactivateTeam stops a team from receiving new tickets.
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
// target is another team of the tenant, and a new area is valid and inside
// the municipality.
func checkTeam(ctx context.Context, tx pgx.Tx, t domain.Team, areaField string, newArea bool) error {
	if t.EscalationTeamID != "" {
		target, err := store.GetTeam(ctx, tx, t.EscalationTeamID, false)
		if errors.Is(err, domain.ErrNotFound) || (err == nil && (target.Tenant != t.Tenant || target.ID == t.ID)) {
			return apperr.Invalid("team.escalation_team_id", "must be another team of the same municipality")
		}
		if err != nil {
			return err
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
