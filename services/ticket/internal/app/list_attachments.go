package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// ListAttachments lists the attachments of a ticket the caller sees, as
// domain.AttachmentVisibility rules, oldest first. A GBV ticket's list
// carries its sealed file names, so the read is logged.
func (a *App) ListAttachments(ctx context.Context, ticketID string) ([]domain.Attachment, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return nil, err
	}
	if err := domain.CheckID(ticketID, "ticket_id"); err != nil {
		return nil, err
	}
	var as []domain.Attachment
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		t, err := a.store.GetTicket(ctx, tx, ticketID, domain.VisibilityOf(c), store.NoLock)
		if err != nil {
			return err
		}
		if as, err = a.store.ListAttachments(ctx, tx, t, domain.AttachmentVisibility(c)); err != nil {
			return err
		}
		return a.logReads(ctx, tx, c, "ListAttachments", t)
	})
	if err != nil {
		return nil, wrap("ListAttachments", err)
	}
	as, err = a.withURLs(ctx, as)
	return as, wrap("ListAttachments", err)
}
