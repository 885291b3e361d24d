package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// UpdateCalendar applies u as the calendar's next version, in force from
// now (platform admins): the open clocks on the calendar count their time
// so far on the version they ran on, and only the rest on the new one. It
// returns the new version and how many clocks moved.
func (a *App) UpdateCalendar(ctx context.Context, u domain.CalendarUpdate) (domain.CalendarSpec, int, error) {
	c, err := access.Check(ctx, access.Caller.RequirePlatformAdmin)
	if err != nil {
		return domain.CalendarSpec{}, 0, err
	}
	if err := u.Resolve(); err != nil {
		return domain.CalendarSpec{}, 0, err
	}
	var out domain.CalendarSpec
	var n int
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		s, err := store.GetCalendar(ctx, tx, u.ID, store.ForUpdate)
		if err != nil {
			return err
		}
		if err := u.Apply(&s); err != nil {
			return err
		}
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		if out, err = store.UpdateCalendar(ctx, tx, s, now, c.Subject()); err != nil {
			return err
		}
		if n, err = a.recompute(ctx, tx, now, ruleChange{calendarID: out.ID}); err != nil {
			return err
		}
		return store.InsertConfigChange(ctx, tx, domain.ConfigChange{CalendarID: out.ID, ChangedBy: c.Subject(),
			Action: domain.ActionCalendarUpdated, ClocksRecomputed: n})
	})
	if err != nil {
		return domain.CalendarSpec{}, 0, wrap("UpdateCalendar", err)
	}
	return out, n, nil
}
