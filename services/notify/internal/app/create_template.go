package app

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// CreateTemplate stores a municipality's template (municipal admin, or a
// platform admin for any municipality), refused at save when it names an
// unknown placeholder or is not a valid template (domain.Template.Validate).
func (a *App) CreateTemplate(ctx context.Context, t domain.Template) (domain.Template, error) {
	c, err := caller(ctx, mayAdminister)
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

// mayAdminister admits who manages a municipality's messages: its
// municipal admin, or a platform admin.
func mayAdminister(c access.Caller) error {
	return c.Require(auth.RoleMunicipalAdmin, auth.RolePlatformAdmin)
}
