package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// TeamImport describes a bulk import of team areas, one team per feature.
type TeamImport struct {
	Tenant       string
	Category     domain.Category
	IsSAPS       bool
	NameProperty string
	NamePrefix   string
	Features     []geo.Feature
}

// ImportTeams creates or updates one team per feature in one transaction:
// the first bad feature aborts the import and is named by its index.
func (a *App) ImportTeams(ctx context.Context, scope pg.Scope, in TeamImport) (created, updated int, err error) {
	err = a.inTx(ctx, scope, func(tx pgx.Tx) error {
		created, updated = 0, 0
		buffer, err := store.BoundaryBuffer(ctx, tx, in.Tenant)
		if errors.Is(err, domain.ErrNotFound) {
			return apperr.FailedPrecondition(fmt.Sprintf("municipality %s is not registered; create it with its boundary first", in.Tenant))
		}
		if err != nil {
			return err
		}
		// The teams the import replaces, for the SAPS rules, in one query.
		names := make([]string, 0, len(in.Features))
		for _, f := range in.Features {
			names = append(names, in.NamePrefix+f.Property(in.NameProperty))
		}
		existing, err := store.TeamsByName(ctx, tx, in.Tenant, names)
		if err != nil {
			return err
		}
		seen := map[string]int{}
		for _, f := range in.Features {
			path := fmt.Sprintf("feature_collection.features[%d]", f.Index)
			value := f.Property(in.NameProperty)
			if value == "" {
				return apperr.Invalid(path+".properties."+in.NameProperty, "is required to name the team")
			}
			name := in.NamePrefix + value
			if prev, dup := seen[name]; dup {
				return apperr.Invalid(path+".properties."+in.NameProperty,
					fmt.Sprintf("names team %q already named by feature %d", name, prev))
			}
			seen[name] = f.Index
			area := f.Geometry.JSON()
			if err := store.CheckValid(ctx, tx, area, path+".geometry"); err != nil {
				return err
			}
			if err := store.CheckInside(ctx, tx, area, buffer, in.Tenant, path+".geometry"); err != nil {
				return err
			}
			if err := checkImportedSAPS(ctx, tx, in, existing, name, path); err != nil {
				return err
			}
			isNew, err := store.UpsertImportedTeam(ctx, tx, domain.Team{
				Tenant: in.Tenant, Name: name, Category: in.Category, IsSAPS: in.IsSAPS, ServiceArea: area,
			})
			if err != nil {
				return gbvWall(err)
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
		return 0, 0, fmt.Errorf("app.ImportTeams: %w", err)
	}
	// A bulk import can multiply the teams at once; fresh statistics let the
	// planner pick the spatial index for routing straight away rather than
	// after autovacuum's next pass.
	if _, err := a.pool.Exec(ctx, `ANALYZE routing.teams`); err != nil {
		a.log.Warn("analyze after team import", "error", err.Error())
	}
	return created, updated, nil
}

// checkImportedSAPS applies the SAPS rules of UpdateTeam to an import that
// replaces the SAPS flag of an existing team of that name: a team GBV
// tickets depend on stays a SAPS team, and a team that becomes a SAPS team
// must already escalate to a SAPS team (or to none).
func checkImportedSAPS(ctx context.Context, tx pgx.Tx, in TeamImport, teams map[string]domain.Team, name, path string) error {
	existing, ok := teams[name]
	if !ok {
		return nil
	}
	if err := checkStaysSAPS(ctx, tx, existing, in.IsSAPS, path+": "); err != nil {
		return err
	}
	if !in.IsSAPS || existing.IsSAPS || existing.EscalationTeamID == "" {
		return nil
	}
	target, err := store.GetTeam(ctx, tx, existing.EscalationTeamID, false)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	if err != nil || !target.IsSAPS {
		return apperr.Invalid("is_saps", fmt.Sprintf("%s names team %q, whose escalation_team_id %s %s", path, name,
			existing.EscalationTeamID, sapsEscalationRule))
	}
	return nil
}
