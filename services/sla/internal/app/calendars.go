package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

func duplicateName(err error) error {
	if errors.Is(err, store.ErrDuplicate) {
		return apperr.AlreadyExists("a calendar with this name already exists")
	}
	return err
}

// CreateCalendar stores a calendar (validated by the caller).
func (a *App) CreateCalendar(ctx context.Context, scope pg.Scope, s domain.CalendarSpec) (domain.CalendarSpec, error) {
	var out domain.CalendarSpec
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		out, err = store.InsertCalendar(ctx, tx, s, now, scope.Subject)
		return duplicateName(err)
	})
	if err != nil {
		return out, fmt.Errorf("app.CreateCalendar: %w", err)
	}
	return out, nil
}

// UpdateCalendar applies change as the calendar's next version, in force
// from now: the open clocks on the calendar count their time so far on the
// version they ran on, and only the rest on the new one.
func (a *App) UpdateCalendar(ctx context.Context, scope pg.Scope, id string, change func(*domain.CalendarSpec) error) (domain.CalendarSpec, int, error) {
	var out domain.CalendarSpec
	var n int
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		s, err := store.GetCalendar(ctx, tx, id, true)
		if err != nil {
			return notFound(err, "calendar")
		}
		if err := change(&s); err != nil {
			return err
		}
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		if out, err = store.UpdateCalendar(ctx, tx, s, now, scope.Subject); err != nil {
			return duplicateName(err)
		}
		if n, err = a.recompute(ctx, tx, now, ruleChange{calendarID: out.ID}); err != nil {
			return err
		}
		return store.InsertConfigChange(ctx, tx, store.ConfigChange{CalendarID: out.ID, ChangedBy: scope.Subject,
			Action: "calendar_updated", ClocksRecomputed: n})
	})
	if err != nil {
		return out, 0, fmt.Errorf("app.UpdateCalendar: %w", err)
	}
	return out, n, nil
}

// GetCalendar returns one calendar.
func (a *App) GetCalendar(ctx context.Context, scope pg.Scope, id string) (domain.CalendarSpec, error) {
	var out domain.CalendarSpec
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		var err error
		out, err = store.GetCalendar(ctx, tx, id, false)
		return notFound(err, "calendar")
	})
	if err != nil {
		return out, fmt.Errorf("app.GetCalendar: %w", err)
	}
	return out, nil
}

// ListCalendars lists calendars by name.
func (a *App) ListCalendars(ctx context.Context, scope pg.Scope) ([]domain.CalendarSpec, error) {
	var out []domain.CalendarSpec
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		var err error
		out, err = store.ListCalendars(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app.ListCalendars: %w", err)
	}
	return out, nil
}

// ListCalendarVersions lists a calendar's versions, newest first.
func (a *App) ListCalendarVersions(ctx context.Context, scope pg.Scope, id string) ([]domain.CalendarVersion, error) {
	var out []domain.CalendarVersion
	err := pg.InTx(ctx, a.pool, scope, func(tx pgx.Tx) error {
		var err error
		if out, err = store.ListCalendarVersions(ctx, tx, id); err == nil && len(out) == 0 {
			return apperr.NotFound("calendar")
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app.ListCalendarVersions: %w", err)
	}
	return out, nil
}
