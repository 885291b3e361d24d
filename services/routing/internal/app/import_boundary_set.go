package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ImportBoundarySet stores a new version of a municipality's wards with
// the date it comes into force, compares it with the version it replaces
// (and the last versions of the municipalities it absorbs), and, when that
// date has come, moves the teams built from wards to it; a later date
// leaves that to the boundary sweep (ApplyDueBoundarySets) and reports
// what it will do. One transaction: a bad feature leaves nothing behind.
// Municipal admins of the municipality and platform admins; absorbing
// other municipalities, which retires their teams, platform admins only.
func (a *App) ImportBoundarySet(ctx context.Context, in domain.BoundarySetImport) (domain.BoundarySet, error) {
	c, err := access.Check(ctx, access.Caller.RequireAdmin)
	if err != nil {
		return domain.BoundarySet{}, err
	}
	tenant, err := c.Tenant(in.Tenant, "tenant")
	if err != nil {
		return domain.BoundarySet{}, err
	}
	if len(in.MergedFrom) > 0 && !c.AllTenants() {
		return domain.BoundarySet{}, apperr.PermissionDenied("merged_from: only a platform admin may merge municipalities")
	}
	wards, err := in.Wards(tenant)
	if err != nil {
		return domain.BoundarySet{}, err
	}
	now := a.now()
	var out domain.BoundarySet
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if _, err := a.store.GetMunicipality(ctx, tx, tenant, false); err != nil {
			return err
		}
		set := domain.BoundarySet{Tenant: tenant, Version: 1, EffectiveAt: in.EffectiveAt, Source: in.Source,
			MergedFrom: in.MergedFrom, TeamCategory: in.TeamCategory, TeamNamePrefix: in.TeamNamePrefix}
		var replaced []string
		prev, found, err := a.store.LatestBoundarySet(ctx, tx, tenant)
		if err != nil {
			return err
		}
		if found {
			if !in.EffectiveAt.After(prev.EffectiveAt) {
				return apperr.Invalid("effective_time", fmt.Sprintf("must be after %s, when version %d came into force",
					prev.EffectiveAt.UTC().Format(time.RFC3339), prev.Version))
			}
			set.Version, set.Report.PreviousVersion = prev.Version+1, prev.Version
			replaced = append(replaced, prev.ID)
		}
		merged, mergedIDs, err := a.mergedSets(ctx, tx, in.MergedFrom)
		if err != nil {
			return err
		}
		replaced = append(replaced, mergedIDs...)
		if set.ID, err = a.store.InsertBoundarySet(ctx, tx, set, c.Subject()); err != nil {
			return err
		}
		if set.Report.Repaired, err = a.store.InsertWards(ctx, tx, set.ID, wards); err != nil {
			return err
		}
		pairs, err := a.store.CompareWards(ctx, tx, set.ID, replaced)
		if err != nil {
			return err
		}
		set.Report.Classify(pairs)
		set.Report.Merged = summarizeMerged(merged, pairs)
		var applied *time.Time
		if in.EffectiveAt.After(now) {
			set.Report.Teams, err = a.store.PredictWardTeams(ctx, tx, set)
		} else {
			set.Report.Teams, err = a.store.ApplyWardTeams(ctx, tx, set)
			applied = &now
		}
		if err != nil {
			return err
		}
		sortRetired(set.Report.Teams.Retired)
		if err := a.store.SaveBoundaryReport(ctx, tx, set.ID, set.Report, applied); err != nil {
			return err
		}
		out, _, err = a.store.LatestBoundarySet(ctx, tx, tenant)
		return err
	})
	if err != nil {
		return domain.BoundarySet{}, wrap("ImportBoundarySet", err)
	}
	if out.AppliedAt != nil {
		if err := a.store.AnalyzeTeams(ctx, a.pool); err != nil {
			a.log.WarnContext(ctx, "analyze after boundary set", "error", err.Error())
		}
	}
	return out, nil
}

// mergedSets checks that each absorbed municipality exists and returns
// its last boundary set (version 0 when it has none) and the ids of those
// sets.
func (a *App) mergedSets(ctx context.Context, tx pgx.Tx, codes []string) ([]domain.MergedMunicipality, []string, error) {
	var out []domain.MergedMunicipality
	var ids []string
	for i, code := range codes {
		if _, err := a.store.GetMunicipality(ctx, tx, code, false); errors.Is(err, domain.ErrMunicipalityNotFound) {
			return nil, nil, apperr.Invalid(fmt.Sprintf("merged_from[%d]", i), "names no municipality: "+code)
		} else if err != nil {
			return nil, nil, err
		}
		m := domain.MergedMunicipality{Code: code}
		last, found, err := a.store.LatestBoundarySet(ctx, tx, code)
		if err != nil {
			return nil, nil, err
		}
		if found {
			m.Version = last.Version
			ids = append(ids, last.ID)
		}
		out = append(out, m)
	}
	return out, ids, nil
}

// summarizeMerged counts the wards and area of each absorbed
// municipality's last set from the comparison, where they are removed
// wards naming their municipality.
func summarizeMerged(merged []domain.MergedMunicipality, pairs []domain.WardPair) []domain.MergedMunicipality {
	for i := range merged {
		for _, p := range pairs {
			if p.InOld && p.Municipality == merged[i].Code {
				merged[i].WardCount++
				merged[i].AreaSqKm += p.OldAreaSqKm
			}
		}
	}
	return merged
}

func sortRetired(rs []domain.RetiredTeam) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Tenant != rs[j].Tenant {
			return rs[i].Tenant < rs[j].Tenant
		}
		return rs[i].WardCode < rs[j].WardCode
	})
}
