package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// ListNearbyTickets finds the tickets of q's category near q's point for
// anyone who may report (and the gateway's API-key clients), nearest
// first, within q's radius or else the municipality's for the caller; it
// returns them and the radius used. A GBV query, and a category whose
// radius is 0, gets none. The answer carries no content, and never a GBV
// ticket (the store's function leaves them out).
func (a *App) ListNearbyTickets(ctx context.Context, q domain.NearbyQuery) ([]domain.NearbyTicket, float64, error) {
	c, err := access.Check(ctx, domain.MayListNearby)
	if err != nil {
		return nil, 0, err
	}
	if err := q.Validate(); err != nil {
		return nil, 0, err
	}
	if q.Tenant, err = c.Tenant(q.Tenant, "tenant"); err != nil {
		return nil, 0, err
	}
	out, meters, err := a.nearby(ctx, c, q, "")
	return out, meters, wrap("ListNearbyTickets", err)
}

// queueLikelyDuplicates adds to b, the batch that writes new ticket t,
// the look-up of what CreateTicket answers beside it: the tickets
// ListNearbyTickets finds for c around it, t itself left out, into r;
// none for a GBV report.
func (a *App) queueLikelyDuplicates(b *pgx.Batch, c access.Caller, t domain.Ticket, r *store.NearbyResult) {
	if t.IsGBV() {
		return
	}
	loc := t.Location
	a.store.QueueNearbyTickets(b, a.nearbySearch(c, domain.NearbyQuery{Tenant: t.Tenant, Location: &loc, Category: t.Category,
		Size: domain.DefaultNearbySize}, t.ID), r)
}

// nearby runs a validated query with its tenant resolved, leaving out
// exclude: the municipality's radius and the search in one statement,
// sent with the caller's scope in one round trip (pg.Read), the look-up
// every new report makes.
func (a *App) nearby(ctx context.Context, c access.Caller, q domain.NearbyQuery, exclude string) ([]domain.NearbyTicket, float64, error) {
	if q.Category == word.CategoryGBV {
		return nil, 0, nil
	}
	var r store.NearbyResult
	err := pg.Read(ctx, a.pool, c.Scope(), func(b *pgx.Batch) {
		a.store.QueueNearbyTickets(b, a.nearbySearch(c, q, exclude), &r)
	})
	return r.Tickets, r.Meters, err
}

// nearbySearch is the store's search for q by c, leaving out exclude:
// q's radius, else the municipality's for c's audience (RadiusFor), among
// open work and tickets resolved within RecentlyResolved.
func (a *App) nearbySearch(c access.Caller, q domain.NearbyQuery, exclude string) store.NearbySearch {
	return store.NearbySearch{Query: q, Audience: domain.NearbyAudienceOf(c),
		ResolvedSince: a.timestamp().Add(-domain.RecentlyResolved), Exclude: exclude}
}
