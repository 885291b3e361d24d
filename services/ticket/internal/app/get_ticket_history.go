package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// GetTicketHistory returns the history of a ticket the caller sees, oldest
// first; a reporter does not see that internal notes were added (decided
// after opening, since a GBV entry's detail is sealed).
func (a *App) GetTicketHistory(ctx context.Context, ticketID string) ([]domain.HistoryEntry, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return nil, err
	}
	if err := domain.CheckID(ticketID, "ticket_id"); err != nil {
		return nil, err
	}
	var out []domain.HistoryEntry
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		t, err := a.store.GetTicket(ctx, tx, ticketID, domain.VisibilityOf(c), store.NoLock)
		if err != nil {
			return err
		}
		hs, err := a.store.ListHistory(ctx, tx, t)
		if err != nil {
			return err
		}
		out = out[:0]
		for _, h := range hs {
			if h.Shown(domain.ReadsInternal(c)) {
				out = append(out, h)
			}
		}
		return a.logReads(ctx, tx, c, "GetTicketHistory", t)
	})
	return out, wrap("GetTicketHistory", err)
}
