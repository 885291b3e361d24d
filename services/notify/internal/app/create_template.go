package app

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// CreateTemplate stores a municipality's template (municipal admin, or a
// platform admin for any municipality), refused at save when it names an
// unknown placeholder or is not a valid template (domain.Template.Validate).
func (a *App) CreateTemplate(ctx context.Context, t domain.Template) (domain.Template, error) {
	c, err := access.Check(ctx, access.Caller.RequireAdmin)
	if err != nil {
		return t, err
	}
	if err := t.Validate(); err != nil {
		return t, err
	}
	if t.Tenant, err = c.Tenant(t.Tenant, "template.tenant"); err != nil {
		return t, err
	}
	now := a.timestamp()
	t.ID, t.UpdatedBy, t.Create, t.Update = uuid.NewString(), c.Subject(), now, now
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error { return a.Store.InsertTemplate(ctx, tx, t) })
	return t, wrap("CreateTemplate", err)
}
