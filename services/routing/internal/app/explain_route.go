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
	var d domain.Decision
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		d, err = a.decide(ctx, tx, domain.RouteQuery{Tenant: tenant, Category: r.Category, Lat: r.Location.Lat, Lng: r.Location.Lng})
		return err
	})
	return d, wrap("ExplainRoute", err)
}
