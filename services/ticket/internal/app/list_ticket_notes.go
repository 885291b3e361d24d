package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// ListTicketNotes lists the notes of a ticket the caller sees, oldest
// first: internal notes for staff and platform admins only.
func (a *App) ListTicketNotes(ctx context.Context, ticketID string) ([]domain.Note, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return nil, err
	}
	if err := domain.CheckID(ticketID, "ticket_id"); err != nil {
		return nil, err
	}
	var ns []domain.Note
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		t, err := a.store.GetTicket(ctx, tx, ticketID, domain.VisibilityOf(c), store.NoLock)
		if err != nil {
			return err
		}
		if ns, err = a.store.ListNotes(ctx, tx, t, domain.ReadsInternal(c)); err != nil {
			return err
		}
		return a.logReads(ctx, tx, c, "ListTicketNotes", t)
	})
	return ns, wrap("ListTicketNotes", err)
}
