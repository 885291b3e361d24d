package app

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// ExplainTicketClocks returns a ticket's clocks with their segments, and
// the time the running segments were measured up to (who may, as
// GetTicketClocks).
func (a *App) ExplainTicketClocks(ctx context.Context, ticketID string) ([]domain.ClockExplanation, time.Time, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return nil, time.Time{}, err
	}
	if err := domain.CheckID(ticketID, "ticket_id"); err != nil {
		return nil, time.Time{}, err
	}
	var out []domain.ClockExplanation
	var now time.Time
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		clocks, err := store.TicketClocks(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		if !domain.ClocksVisible(c, clocks) {
			return domain.ErrClocksNotFound
		}
		if now, err = a.now(ctx, tx); err != nil {
			return err
		}
		segs, err := store.TicketSegments(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		cals, err := loadCalendars(ctx, tx, domain.CalendarRefs(clocks...)...)
		if err != nil {
			return err
		}
		out = domain.Explain(clocks, segs, now, cals)
		return nil
	})
	if err != nil {
		return nil, time.Time{}, wrap("ExplainTicketClocks", err)
	}
	return out, now, nil
}
