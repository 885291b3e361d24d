package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// GetNotifySettings returns the settings of the caller's municipality
// (staff).
func (a *App) GetNotifySettings(ctx context.Context) (domain.Settings, error) {
	c, err := caller(ctx, access.Caller.RequireStaff)
	if err != nil {
		return domain.Settings{}, err
	}
	tenant, err := c.Tenant("", "tenant")
	if err != nil {
		return domain.Settings{}, err
	}
	var st domain.Settings
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		st, err = a.Store.GetSettings(ctx, tx, tenant)
		return err
	})
	return st, wrap("GetNotifySettings", err)
}

// UpdateNotifySettings replaces them (municipal admin).
func (a *App) UpdateNotifySettings(ctx context.Context, st domain.Settings) (domain.Settings, error) {
	c, err := caller(ctx, mayAdminister)
	if err != nil {
		return st, err
	}
	if st.Tenant, err = c.Tenant("", "tenant"); err != nil {
		return st, err
	}
	now := a.timestamp()
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error { return a.Store.PutSettings(ctx, tx, st, now) })
	st.Update = &now
	return st, wrap("UpdateNotifySettings", err)
}
