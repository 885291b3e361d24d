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
		var err error
		out, err = store.InsertCalendar(ctx, tx, s)
		return duplicateName(err)
	})
	if err != nil {
		return out, fmt.Errorf("app.CreateCalendar: %w", err)
	}
	return out, nil
}

// UpdateCalendar applies change and recomputes the open clocks on the calendar.
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
		if out, err = store.UpdateCalendar(ctx, tx, s); err != nil {
			return duplicateName(err)
		}
		if n, err = a.recompute(ctx, tx, "", out.ID, "", ""); err != nil {
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
