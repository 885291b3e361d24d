package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// GetTicketClocks returns a ticket's clocks and their warnings and
// breaches (staff of its municipality, platform admins, services of its
// municipality). A GBV ticket's clocks read as not found for whoever may
// not see GBV, so they cannot be probed.
func (a *App) GetTicketClocks(ctx context.Context, ticketID string) ([]domain.Clock, []domain.ClockEvent, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return nil, nil, err
	}
	if err := domain.CheckID(ticketID, "ticket_id"); err != nil {
		return nil, nil, err
	}
	var clocks []domain.Clock
	var evs []domain.ClockEvent
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if clocks, err = store.TicketClocks(ctx, tx, ticketID); err != nil {
			return err
		}
		if !domain.ClocksVisible(c, clocks) {
			return domain.ErrClocksNotFound
		}
		evs, err = store.TicketEvents(ctx, tx, ticketID)
		return err
	})
	if err != nil {
		return nil, nil, wrap("GetTicketClocks", err)
	}
	return clocks, evs, nil
}
