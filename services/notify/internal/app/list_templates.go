package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// ListTemplates lists a municipality's templates, and the shipped defaults
// when asked (staff, or a platform admin naming a municipality).
func (a *App) ListTemplates(ctx context.Context, tenant string, defaults bool) ([]domain.Template, error) {
	c, err := caller(ctx, access.Caller.RequireStaff)
	if err != nil {
		return nil, err
	}
	if tenant, err = c.Tenant(tenant, "tenant"); err != nil {
		return nil, err
	}
	var ts []domain.Template
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		ts, err = a.Store.ListTemplates(ctx, tx, tenant)
		return err
	})
	if defaults {
		ts = append(ts, domain.Defaults()...)
	}
	return ts, wrap("ListTemplates", err)
}
