package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// ListCalendarVersions lists a calendar's versions, newest first (staff
// and services); NotFound when it never existed.
func (a *App) ListCalendarVersions(ctx context.Context, id string) ([]domain.CalendarVersion, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return nil, err
	}
	if err := domain.CheckID(id, "calendar_id"); err != nil {
		return nil, err
	}
	var out []domain.CalendarVersion
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if out, err = store.ListCalendarVersions(ctx, tx, id); err == nil && len(out) == 0 {
			return domain.ErrCalendarNotFound
		}
		return err
	})
	if err != nil {
		return nil, wrap("ListCalendarVersions", err)
	}
	return out, nil
}
