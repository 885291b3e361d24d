package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc/codes"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ImportTeams creates or updates one team per feature of an import, by
// name, for a municipal admin of the municipality or a platform admin, in
// one transaction, and reports what it did with each feature. Areas are
// checked as CreateTeam's, except that an invalid one is repaired in the
// default mode; a feature that cannot be imported is refused alone, or
// refuses the whole import in refuse_all mode, which then writes nothing.
// An import over an existing team keeps the SAPS rules of UpdateTeam, and
// one that would break them refuses the whole import.
func (a *App) ImportTeams(ctx context.Context, in domain.TeamImport) (domain.ImportReport, error) {
	c, err := access.Check(ctx, access.Caller.RequireAdmin)
	if err != nil {
		return domain.ImportReport{}, err
	}
	tenant, err := c.Tenant(in.Tenant, "tenant")
	if err != nil {
		return domain.ImportReport{}, err
	}
	if in.Options, err = in.Options.Check(); err != nil {
		return domain.ImportReport{}, err
	}
	teams, err := in.Teams(tenant)
	if err != nil {
		return domain.ImportReport{}, err
	}
	var report domain.ImportReport
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		report = domain.ImportReport{}
		if err := a.checkSRID(ctx, tx, in.Options.SRID); err != nil {
			return err
		}
		buffer, err := a.boundary(ctx, tx, tenant)
		if err != nil {
			return err
		}
		// The teams the import replaces, for the SAPS rules, in one query.
		names := make([]string, 0, len(teams))
		for _, t := range teams {
			if t.Err == nil {
				names = append(names, t.Name)
			}
		}
		existing, err := a.store.TeamsByName(ctx, tx, tenant, names)
		if err != nil {
			return err
		}
		for _, t := range teams {
			fr := domain.FeatureReport{Index: t.Index, Name: t.Name}
			err := t.Err
			if err == nil {
				t.ServiceArea, err = a.checkArea(ctx, tx, t.ServiceArea, buffer, tenant, t.Path+".geometry", in.Options, &fr)
			}
			if err != nil {
				if !isRefusal(err) {
					return err
				}
				report.Refuse(fr, err)
				if v := report.Verdict(in.Options.Mode); v != nil {
					return v
				}
				continue
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
			report.Write(fr, isNew)
		}
		return nil
	})
	if err != nil {
		return domain.ImportReport{}, wrap("ImportTeams", err)
	}
	// A bulk import can multiply the teams at once; fresh statistics let the
	// planner pick the spatial index for routing straight away.
	if err := a.store.AnalyzeTeams(ctx, a.pool); err != nil {
		a.log.WarnContext(ctx, "analyze after team import", "error", err.Error())
	}
	return report, nil
}

// checkSRID refuses an EPSG code PostGIS does not know.
func (a *App) checkSRID(ctx context.Context, tx pgx.Tx, srid int) error {
	known, err := a.store.KnownSRID(ctx, tx, srid)
	if err != nil {
		return err
	}
	if !known {
		return apperr.Invalid("srid", fmt.Sprintf("EPSG:%d is not a coordinate system PostGIS knows", srid))
	}
	return nil
}

// isRefusal reports whether err refuses one feature (InvalidArgument),
// rather than failing the import.
func isRefusal(err error) bool {
	var ae *apperr.Error
	return errors.As(err, &ae) && ae.Code() == codes.InvalidArgument
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
