package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/notify/internal/domain"
)

// UpdateTemplate replaces a template's subject and body, checked as
// CreateTemplate checks them (municipal admin).
func (a *App) UpdateTemplate(ctx context.Context, id string, in domain.Template) (domain.Template, error) {
	c, err := caller(ctx, mayAdminister)
	if err != nil {
		return in, err
	}
	if err := domain.CheckID(id, "id"); err != nil {
		return in, err
	}
	tenant, err := c.Tenant("", "tenant")
	if err != nil {
		return in, err
	}
	var t domain.Template
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if t, err = a.Store.GetTemplate(ctx, tx, tenant, id); err != nil {
			return err
		}
		t.Subject, t.Body, t.UpdatedBy, t.Update = in.Subject, in.Body, c.Subject(), a.timestamp()
		if err := t.Validate(); err != nil {
			return err
		}
		return a.Store.UpdateTemplate(ctx, tx, t)
	})
	return t, wrap("UpdateTemplate", err)
}
