package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// ListCalendars lists the calendars by name (staff and services).
func (a *App) ListCalendars(ctx context.Context) ([]domain.CalendarSpec, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return nil, err
	}
	var out []domain.CalendarSpec
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = store.ListCalendars(ctx, tx)
		return err
	})
	if err != nil {
		return nil, wrap("ListCalendars", err)
	}
	return out, nil
}
