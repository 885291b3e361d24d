package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
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

// LikelyDuplicates is what CreateTicket answers beside a new ticket t: the
// tickets ListNearbyTickets finds for c around it, t itself left out, and
// none for a GBV report.
func (a *App) LikelyDuplicates(ctx context.Context, t domain.Ticket) ([]domain.NearbyTicket, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return nil, err
	}
	if t.IsGBV() || t.ID == "" {
		return nil, nil
	}
	loc := t.Location
	out, _, err := a.nearby(ctx, c, domain.NearbyQuery{Tenant: t.Tenant, Location: &loc, Category: t.Category,
		Size: domain.DefaultNearbySize}, t.ID)
	return out, wrap("LikelyDuplicates", err)
}

// nearby runs a validated query with its tenant resolved, leaving out
// exclude.
func (a *App) nearby(ctx context.Context, c access.Caller, q domain.NearbyQuery, exclude string) ([]domain.NearbyTicket, float64, error) {
	if q.Category == word.CategoryGBV {
		return nil, 0, nil
	}
	var out []domain.NearbyTicket
	meters := q.Meters
	err := a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if meters == 0 {
			s, err := a.store.GetDuplicateSettings(ctx, tx, q.Tenant)
			if err != nil {
				return err
			}
			if meters = s.RadiusFor(c, q.Category); meters == 0 {
				return nil
			}
		}
		var err error
		out, err = a.store.NearbyTickets(ctx, tx, q.Tenant, q, meters, a.timestamp().Add(-domain.RecentlyResolved), exclude)
		return err
	})
	return out, meters, err
}
