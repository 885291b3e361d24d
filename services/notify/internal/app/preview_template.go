package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// PreviewTemplate renders a template, saved (id) or not, for the sample
// ticket, checking it as CreateTemplate does (staff).
func (a *App) PreviewTemplate(ctx context.Context, id string, t domain.Template) (subject, body string, err error) {
	c, err := caller(ctx, access.Caller.RequireStaff)
	if err != nil {
		return "", "", err
	}
	if id != "" {
		if err := domain.CheckID(id, "id"); err != nil {
			return "", "", err
		}
		tenant, err := c.Tenant("", "tenant")
		if err != nil {
			return "", "", err
		}
		if err := a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
			t, err = a.Store.GetTemplate(ctx, tx, tenant, id)
			return err
		}); err != nil {
			return "", "", wrap("PreviewTemplate", err)
		}
	}
	if err := t.Validate(); err != nil {
		return "", "", err
	}
	f := domain.SampleFields()
	if subject, err = domain.Render(t.Subject, f); err != nil {
		return "", "", wrap("PreviewTemplate", err)
	}
	body, err = domain.Render(t.Body, f)
	return subject, body, wrap("PreviewTemplate", err)
}
