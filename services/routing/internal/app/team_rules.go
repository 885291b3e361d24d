package app

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/geo"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

// The team rules that need the database: the use cases that change teams
// read here what domain's rules decide on.

// checkTeam applies the rules of team t: its escalation team is another
// team of its municipality, a SAPS team for a SAPS team
// (domain.CheckEscalationTeam); with newArea, its area is valid (repaired
// in t when repair allows) and inside the municipality's boundary.
func (a *App) checkTeam(ctx context.Context, tx pgx.Tx, t *domain.Team, newArea, repair bool) error {
	if t.EscalationTeamID != "" {
		target, err := a.teamOrNil(ctx, tx, t.EscalationTeamID)
		if err != nil {
			return err
		}
		if err := domain.CheckEscalationTeam(*t, target); err != nil {
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
	opts := domain.ImportOptions{Mode: domain.ImportRefuseAll, MaxAreaChange: domain.DefaultMaxAreaChange, SRID: geo.SRID}
	if repair {
		opts.Mode = domain.ImportRepair
	}
	var fr domain.FeatureReport
	t.ServiceArea, err = a.checkArea(ctx, tx, t.ServiceArea, buffer, t.Tenant, "team.service_area", opts, &fr)
	return err
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

// checkArea returns a team area (field names it; its coordinates in
// opts.SRID) as it is to be stored in SRID 4326: judged by judgeArea, and
// inside buffer, its municipality's boundary grown by the tolerance.
func (a *App) checkArea(ctx context.Context, tx pgx.Tx, area string, buffer []byte, tenant, field string,
	opts domain.ImportOptions, fr *domain.FeatureReport) (string, error) {
	stored, err := a.judgeArea(ctx, tx, area, field, opts, fr)
	if err != nil {
		return "", err
	}
	inside, err := a.store.Covers(ctx, tx, buffer, stored)
	if err != nil {
		return "", err
	}
	return stored, domain.CheckAreaInside(inside, tenant, field)
}

// judgeArea asks PostGIS about an area (store.InspectArea) and lets
// domain judge it under opts (AreaCheck.Judge), noting a repair in fr; it
// returns the area to store, in SRID 4326.
func (a *App) judgeArea(ctx context.Context, tx pgx.Tx, area, field string, opts domain.ImportOptions, fr *domain.FeatureReport) (string, error) {
	c, err := a.store.InspectArea(ctx, tx, area, opts.SRID, field)
	if err != nil {
		return "", err
	}
	if !c.Valid() {
		fr.InvalidReason, fr.AreaChange = c.Reason, c.AreaChange()
	}
	if err := c.Judge(opts.Mode == domain.ImportRepair, opts.MaxAreaChange, field); err != nil {
		return "", err
	}
	fr.Repaired = !c.Valid()
	return c.Stored, nil
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
