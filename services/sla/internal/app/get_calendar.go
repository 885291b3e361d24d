package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// GetCalendar returns one calendar (staff and services).
func (a *App) GetCalendar(ctx context.Context, id string) (domain.CalendarSpec, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return domain.CalendarSpec{}, err
	}
	if err := domain.CheckID(id, "id"); err != nil {
		return domain.CalendarSpec{}, err
	}
	var out domain.CalendarSpec
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = store.GetCalendar(ctx, tx, id, store.NoLock)
		return err
	})
	if err != nil {
		return domain.CalendarSpec{}, wrap("GetCalendar", err)
	}
	return out, nil
}
