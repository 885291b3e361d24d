package app

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// ListAtRiskTickets lists a municipality's warned (and optionally
// breached) clocks, one per ticket, soonest deadline first, with the time
// they were read at (staff of the municipality, platform admins, services
// of the municipality). GBV clocks only for whoever may see GBV.
func (a *App) ListAtRiskTickets(ctx context.Context, q domain.AtRiskQuery) ([]domain.Clock, time.Time, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return nil, time.Time{}, err
	}
	if q.Tenant, err = c.Tenant(q.Tenant, "tenant"); err != nil {
		return nil, time.Time{}, err
	}
	if err := q.Resolve(); err != nil {
		return nil, time.Time{}, err
	}
	q.IncludeGBV = c.CanSeeGBV()
	var out []domain.Clock
	var now time.Time
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if now, err = a.now(ctx, tx); err != nil {
			return err
		}
		out, err = store.AtRiskClocks(ctx, tx, q)
		return err
	})
	if err != nil {
		return nil, time.Time{}, wrap("ListAtRiskTickets", err)
	}
	return out, now, nil
}
