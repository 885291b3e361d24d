package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// SetStaffContact creates or replaces how a member of staff of the
// caller's municipality is reached (municipal admin).
func (a *App) SetStaffContact(ctx context.Context, sc domain.StaffContact) (domain.StaffContact, error) {
	c, err := caller(ctx, mayAdminister)
	if err != nil {
		return sc, err
	}
	if err := sc.Validate(); err != nil {
		return sc, err
	}
	tenant, err := c.Tenant("", "tenant")
	if err != nil {
		return sc, err
	}
	sc.Language, sc.Update = sc.Language.Or(), a.timestamp()
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error { return a.Store.PutStaffContact(ctx, tx, tenant, sc) })
	return sc, wrap("SetStaffContact", err)
}

// DeleteStaffContact removes a staff contact (municipal admin).
func (a *App) DeleteStaffContact(ctx context.Context, user string) error {
	c, err := caller(ctx, mayAdminister)
	if err != nil {
		return err
	}
	if user == "" || len(user) > 200 {
		return apperr.Invalid("user_id", "is required, at most 200 bytes")
	}
	tenant, err := c.Tenant("", "tenant")
	if err != nil {
		return err
	}
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error { return a.Store.DeleteStaffContact(ctx, tx, tenant, user) })
	return wrap("DeleteStaffContact", err)
}

// ListStaffContacts lists the staff contacts of the caller's municipality
// (staff).
func (a *App) ListStaffContacts(ctx context.Context) ([]domain.StaffContact, error) {
	c, err := caller(ctx, access.Caller.RequireStaff)
	if err != nil {
		return nil, err
	}
	tenant, err := c.Tenant("", "tenant")
	if err != nil {
		return nil, err
	}
	var out []domain.StaffContact
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = a.Store.StaffContacts(ctx, tx, tenant, nil)
		return err
	})
	return out, wrap("ListStaffContacts", err)
}
