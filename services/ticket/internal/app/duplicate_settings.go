package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// GetDuplicateSettings returns a municipality's nearby radii and priority
// keywords: to its staff, and platform admins.
func (a *App) GetDuplicateSettings(ctx context.Context, tenant string) (domain.DuplicateSettings, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaff)
	if err != nil {
		return domain.DuplicateSettings{}, err
	}
	if tenant, err = c.Tenant(tenant, "tenant"); err != nil {
		return domain.DuplicateSettings{}, err
	}
	var s domain.DuplicateSettings
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		s, err = a.store.GetDuplicateSettings(ctx, tx, tenant)
		return err
	})
	return s, wrap("GetDuplicateSettings", err)
}

// SetDuplicateSettings replaces a municipality's nearby radii and priority
// keywords: its municipal admin, or a platform admin. Tickets already
// reported keep their suggested priority until a link changes it.
func (a *App) SetDuplicateSettings(ctx context.Context, s domain.DuplicateSettings) (domain.DuplicateSettings, error) {
	c, err := access.Check(ctx, access.Caller.RequireAdmin)
	if err != nil {
		return domain.DuplicateSettings{}, err
	}
	if err := s.Validate(); err != nil {
		return domain.DuplicateSettings{}, err
	}
	if s.Tenant, err = c.Tenant(s.Tenant, "settings.tenant"); err != nil {
		return domain.DuplicateSettings{}, err
	}
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		return a.store.SetDuplicateSettings(ctx, tx, s, c.Subject(), a.timestamp())
	})
	return s, wrap("SetDuplicateSettings", err)
}
