package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ImportTeams creates or updates one team per feature of an import, by
// name, for a municipal admin of the municipality or a platform admin, in
// one transaction: the first bad feature aborts the import and is named by
// its index. Areas are checked as CreateTeam's; an import over an existing
// team keeps the SAPS rules of UpdateTeam.
func (a *App) ImportTeams(ctx context.Context, in domain.TeamImport) (created, updated int, err error) {
	c, err := access.Check(ctx, access.Caller.RequireAdmin)
	if err != nil {
		return 0, 0, err
	}
	tenant, err := c.Tenant(in.Tenant, "tenant")
	if err != nil {
		return 0, 0, err
	}
	teams, err := in.Teams(tenant)
	if err != nil {
		return 0, 0, err
	}
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		created, updated = 0, 0
		buffer, err := a.boundary(ctx, tx, tenant)
		if err != nil {
			return err
		}
		// The teams the import replaces, for the SAPS rules, in one query.
		names := make([]string, 0, len(teams))
		for _, t := range teams {
			names = append(names, t.Name)
		}
		existing, err := a.store.TeamsByName(ctx, tx, tenant, names)
		if err != nil {
			return err
		}
		for _, t := range teams {
			if err := a.checkArea(ctx, tx, t.ServiceArea, buffer, tenant, t.Path+".geometry"); err != nil {
				return err
			}
			if old, ok := existing[t.Name]; ok {
				if err := a.checkReplacedTeam(ctx, tx, old, t); err != nil {
					return err
				}
			}
			isNew, err := a.store.UpsertImportedTeam(ctx, tx, t.Team)
			if err != nil {
				return err
			}
			if isNew {
				created++
			} else {
				updated++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, wrap("ImportTeams", err)
	}
	// A bulk import can multiply the teams at once; fresh statistics let the
	// planner pick the spatial index for routing straight away.
	if err := a.store.AnalyzeTeams(ctx, a.pool); err != nil {
		a.log.WarnContext(ctx, "analyze after team import", "error", err.Error())
	}
	return created, updated, nil
}

// checkReplacedTeam applies the SAPS rules of UpdateTeam to the import of
// t over the existing team old: a team GBV tickets depend on stays a SAPS
// team, and a team that becomes a SAPS team must already escalate to a
// SAPS team (or to none).
func (a *App) checkReplacedTeam(ctx context.Context, tx pgx.Tx, old domain.Team, t domain.ImportedTeam) error {
	if err := a.checkStaysSAPS(ctx, tx, old, t.IsSAPS, t.Path+": "); err != nil {
		return err
	}
	if !domain.BecomesSAPSWithEscalation(old, t.IsSAPS) {
		return nil
	}
	target, err := a.teamOrNil(ctx, tx, old.EscalationTeamID)
	if err != nil {
		return err
	}
	return domain.CheckImportedEscalation(old, target, t.Path)
}
