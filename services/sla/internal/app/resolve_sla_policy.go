package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// ResolveSlaPolicy returns the policy the lookup order picks for q (staff
// and services).
func (a *App) ResolveSlaPolicy(ctx context.Context, q domain.PolicyQuery) (domain.Policy, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return domain.Policy{}, err
	}
	if err := q.Validate(); err != nil {
		return domain.Policy{}, err
	}
	var out domain.Policy
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = resolvePolicy(ctx, tx, q.Municipality, q.Category, q.Priority)
		return err
	})
	if err != nil {
		return domain.Policy{}, wrap("ResolveSlaPolicy", err)
	}
	return out, nil
}
