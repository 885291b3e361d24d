package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// GetAttachmentRetention returns how long a municipality keeps the
// attachments of finished tickets: to its staff, and platform admins.
func (a *App) GetAttachmentRetention(ctx context.Context, tenant string) (domain.Retention, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaff)
	if err != nil {
		return domain.Retention{}, err
	}
	if tenant, err = c.Tenant(tenant, "tenant"); err != nil {
		return domain.Retention{}, err
	}
	var r domain.Retention
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		r, err = a.store.GetRetention(ctx, tx, tenant)
		return err
	})
	return r, wrap("GetAttachmentRetention", err)
}

// SetAttachmentRetention sets how long a municipality keeps the
// attachments of finished tickets: its municipal admin, or a platform
// admin.
func (a *App) SetAttachmentRetention(ctx context.Context, tenant string, days int) (domain.Retention, error) {
	c, err := access.Check(ctx, access.Caller.RequireAdmin)
	if err != nil {
		return domain.Retention{}, err
	}
	if err := domain.CheckRetentionDays(days); err != nil {
		return domain.Retention{}, err
	}
	if tenant, err = c.Tenant(tenant, "tenant"); err != nil {
		return domain.Retention{}, err
	}
	now := a.timestamp()
	r := domain.Retention{Tenant: tenant, Days: days, UpdatedBy: c.Subject(), UpdateTime: &now}
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error { return a.store.SetRetention(ctx, tx, r) })
	return r, wrap("SetAttachmentRetention", err)
}
