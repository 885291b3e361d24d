package app

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

// The team rules that need the database: the use cases that change teams
// read here what domain's rules decide on.

// checkTeam applies the rules of team t: its escalation team is another
// team of its municipality, a SAPS team for a SAPS team
// (domain.CheckEscalationTeam); with newArea, its area is valid and inside
// the municipality's boundary.
func (a *App) checkTeam(ctx context.Context, tx pgx.Tx, t domain.Team, newArea bool) error {
	if t.EscalationTeamID != "" {
		target, err := a.teamOrNil(ctx, tx, t.EscalationTeamID)
		if err != nil {
			return err
		}
		if err := domain.CheckEscalationTeam(t, target); err != nil {
			return err
		}
	}
	if !newArea {
		return nil
	}
	buffer, err := a.boundary(ctx, tx, t.Tenant)
	if err != nil {
		return err
	}
	return a.checkArea(ctx, tx, t.ServiceArea, buffer, t.Tenant, "team.service_area")
}

// boundary is the buffered boundary of municipality code (store.BoundaryBuffer);
// an unregistered one is FailedPrecondition.
func (a *App) boundary(ctx context.Context, tx pgx.Tx, code string) ([]byte, error) {
	buffer, err := a.store.BoundaryBuffer(ctx, tx, code)
	if errors.Is(err, domain.ErrMunicipalityNotFound) {
		return nil, domain.ErrNotRegistered(code)
	}
	return buffer, err
}

// checkArea refuses a team area (field names it) that PostGIS finds
// invalid or that buffer, its municipality's, does not cover.
func (a *App) checkArea(ctx context.Context, tx pgx.Tx, area string, buffer []byte, tenant, field string) error {
	reason, err := a.store.ValidityReason(ctx, tx, area)
	if err != nil {
		return err
	}
	if err := domain.CheckAreaValid(reason, field); err != nil {
		return err
	}
	inside, err := a.store.Covers(ctx, tx, buffer, area)
	if err != nil {
		return err
	}
	return domain.CheckAreaInside(inside, tenant, field)
}

// checkStaysSAPS refuses to make the SAPS team before a team that is not
// SAPS while GBV tickets depend on it (domain.CheckStaysSAPS); where names
// the import feature that asks, if any.
func (a *App) checkStaysSAPS(ctx context.Context, tx pgx.Tx, before domain.Team, isSAPS bool, where string) error {
	if !domain.LosesSAPS(before, isSAPS) {
		return nil
	}
	var (
		d   domain.SAPSDependants
		err error
	)
	if d.HeldGBV, err = a.store.HasHeldGBV(ctx, tx, before.ID); err != nil {
		return err
	}
	if !d.HeldGBV {
		if d.Escalating, err = a.store.SAPSTeamsEscalatingTo(ctx, tx, before.ID); err != nil {
			return err
		}
	}
	return domain.CheckStaysSAPS(before, d, where)
}

// teamOrNil returns team id as the caller's scope sees it, or nil when it
// sees none.
func (a *App) teamOrNil(ctx context.Context, tx pgx.Tx, id string) (*domain.Team, error) {
	t, err := a.store.GetTeam(ctx, tx, id, false)
	if errors.Is(err, domain.ErrTeamNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}
