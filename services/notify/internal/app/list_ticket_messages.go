package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// ListTicketMessages lists the messages about a ticket with their delivery
// state: the municipality's staff (a platform admin too); a GBV ticket's
// only for its SAPS liaison, anyone else getting NotFound as for a ticket
// never heard of. Messages carry no sealed content (a GBV message's text
// is the neutral text), so the read needs no access-log entry.
func (a *App) ListTicketMessages(ctx context.Context, ticketID string) ([]domain.Message, error) {
	c, err := caller(ctx, access.Caller.RequireStaff)
	if err != nil {
		return nil, err
	}
	if err := domain.CheckID(ticketID, "ticket_id"); err != nil {
		return nil, err
	}
	v := domain.VisibilityOf(c)
	var ms []domain.Message
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if _, err := a.Store.GetTicket(ctx, tx, ticketID, v); err != nil {
			return err
		}
		ms, err = a.Store.ListTicketMessages(ctx, tx, ticketID, v)
		return err
	})
	return ms, wrap("ListTicketMessages", err)
}
