package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// GetCompliance returns a municipality's figures per category over q's
// period (who may, as ListAtRiskTickets). GBV clocks count only for
// whoever may see GBV.
func (a *App) GetCompliance(ctx context.Context, q domain.ComplianceQuery) ([]domain.ComplianceRow, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return nil, err
	}
	if q.Tenant, err = c.Tenant(q.Tenant, "tenant"); err != nil {
		return nil, err
	}
	start, end, err := q.Period(a.Now())
	if err != nil {
		return nil, err
	}
	var counts []domain.ComplianceCounts
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		counts, err = store.Compliance(ctx, tx, q.Tenant, start, end, now, c.CanSeeGBV())
		return err
	})
	if err != nil {
		return nil, wrap("GetCompliance", err)
	}
	return domain.Compliance(counts), nil
}
