package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/notify/internal/domain"
)

// DeleteTemplate removes a template, so the shipped default applies again
// (municipal admin).
func (a *App) DeleteTemplate(ctx context.Context, id string) error {
	c, err := caller(ctx, mayAdminister)
	if err != nil {
		return err
	}
	if err := domain.CheckID(id, "id"); err != nil {
		return err
	}
	tenant, err := c.Tenant("", "tenant")
	if err != nil {
		return err
	}
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error { return a.Store.DeleteTemplate(ctx, tx, tenant, id) })
	return wrap("DeleteTemplate", err)
}
