package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// CreateCalendar stores a new calendar as version 1 (platform admins); an
// empty time zone is the default one.
func (a *App) CreateCalendar(ctx context.Context, s domain.CalendarSpec) (domain.CalendarSpec, error) {
	c, err := access.Check(ctx, access.Caller.RequirePlatformAdmin)
	if err != nil {
		return domain.CalendarSpec{}, err
	}
	s = s.WithDefaults()
	if err := s.Validate(); err != nil {
		return domain.CalendarSpec{}, err
	}
	var out domain.CalendarSpec
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		out, err = store.InsertCalendar(ctx, tx, s, now, c.Subject())
		return err
	})
	if err != nil {
		return domain.CalendarSpec{}, wrap("CreateCalendar", err)
	}
	return out, nil
}
