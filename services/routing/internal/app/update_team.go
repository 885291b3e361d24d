package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// UpdateTeam changes the fields of a team its update mask names, for a
// municipal admin of its municipality or a platform admin, under the rules
// of CreateTeam; a SAPS team that GBV tickets depend on stays one.
func (a *App) UpdateTeam(ctx context.Context, ch domain.TeamChange) (domain.Team, error) {
	c, err := access.Check(ctx, access.Caller.RequireAdmin)
	if err != nil {
		return domain.Team{}, err
	}
	p, err := ch.Patch()
	if err != nil {
		return domain.Team{}, err
	}
	t, err := a.patchTeam(ctx, c, p, ch.RepairArea)
	return t, wrap("UpdateTeam", err)
}

// patchTeam applies p to its team in one transaction, under the team rules;
// repair repairs a new area PostGIS finds invalid instead of refusing it.
func (a *App) patchTeam(ctx context.Context, c access.Caller, p domain.TeamPatch, repair bool) (domain.Team, error) {
	var out domain.Team
	err := a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		before, err := a.store.GetTeam(ctx, tx, p.ID, false)
		if err != nil {
			return err
		}
		t := p.Apply(before)
		if err := a.checkTeam(ctx, tx, &t, p.NewArea(), repair); err != nil {
			return err
		}
		if err := a.checkStaysSAPS(ctx, tx, before, t.IsSAPS, ""); err != nil {
			return err
		}
		out, err = a.store.UpdateTeam(ctx, tx, t, p.KeepsArea())
		return err
	})
	return out, err
}
