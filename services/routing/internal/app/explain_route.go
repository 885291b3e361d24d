package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ExplainRoute answers what RouteTicket would decide now for a point and
// category, assigning nothing, to staff and services: it reveals the team
// choice only, no ticket data.
func (a *App) ExplainRoute(ctx context.Context, r domain.ExplainRequest) (domain.Decision, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return domain.Decision{}, err
	}
	tenant, err := c.Tenant(r.Tenant, "tenant")
	if err != nil {
		return domain.Decision{}, err
	}
	if err := r.Validate(); err != nil {
		return domain.Decision{}, err
	}
	// A read, not a transaction: the scope, the search and the ward go out
	// in one round trip, and a second only when the team has members to choose
	// from (the choice the decision explains, as decide makes it).
	q := domain.RouteQuery{Tenant: tenant, Category: r.Category, Lat: r.Location.Lat, Lng: r.Location.Lng}
	var cands domain.Candidates
	var ward string
	if err := a.read(ctx, c.Scope(), func(b *pgx.Batch) {
		a.store.QueueCandidates(b, q, &cands)
		a.store.QueueWardAt(b, q.Tenant, q.Lat, q.Lng, a.now(), &ward)
	}); err != nil {
		return domain.Decision{}, wrap("ExplainRoute", err)
	}
	d := domain.Decide(cands)
	d.WardCode = ward
	if d.NeedsMember() {
		if err := a.read(ctx, c.Scope(), func(b *pgx.Batch) { a.store.QueueLeastLoadedMember(b, d.TeamID, &d.PersonID) }); err != nil {
			return domain.Decision{}, wrap("ExplainRoute", err)
		}
	}
	d.Explain(q.Category)
	return d, nil
}
