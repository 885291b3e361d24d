package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

// decide applies the routing rules to q (store.FindCandidates searches,
// domain.Decide chooses) and, when the chosen team has members, gives the
// ticket to the least loaded one. Eligibility (GBV only to SAPS teams) is
// in the store's team filter, so no rule can pick a non-SAPS team for GBV.
func (a *App) decide(ctx context.Context, tx pgx.Tx, q domain.RouteQuery) (domain.Decision, error) {
	c, err := a.store.FindCandidates(ctx, tx, q)
	if err != nil {
		return domain.Decision{}, err
	}
	return a.decideFrom(ctx, tx, q, c)
}

// decideFrom is decide with the candidates already found.
func (a *App) decideFrom(ctx context.Context, tx pgx.Tx, q domain.RouteQuery, c domain.Candidates) (domain.Decision, error) {
	d := domain.Decide(c)
	var err error
	if d.NeedsMember() {
		if d.PersonID, err = a.store.LeastLoadedMember(ctx, tx, d.TeamID); err != nil {
			return domain.Decision{}, err
		}
	}
	if d.WardCode, err = a.store.WardAt(ctx, tx, q.Tenant, q.Lat, q.Lng, q.WardTime(a.now())); err != nil {
		return domain.Decision{}, err
	}
	d.Explain(q.Category)
	return d, nil
}
