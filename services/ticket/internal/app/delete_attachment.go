package app

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// DeleteAttachment deletes an attachment of a ticket the caller may change
// (staff; the SAPS liaison on a GBV ticket), with an
// `attachment_deleted` history entry and the reason, and then its objects
// unless another attachment of the municipality shows the same picture.
// Should deleting an object fail, the sweep deletes it later.
func (a *App) DeleteAttachment(ctx context.Context, ticketID, attachmentID, reason string) error {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return err
	}
	if err := domain.CheckAttachmentRef(ticketID, attachmentID); err != nil {
		return err
	}
	if reason, err = domain.DeleteReason(reason); err != nil {
		return err
	}
	var keys []string
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		t, err := a.store.GetTicket(ctx, tx, ticketID, domain.VisibilityOf(c), store.ForUpdate)
		if err != nil {
			return err
		}
		if err := domain.MayDelete(c, t); err != nil {
			return err
		}
		att, _, err := a.store.GetAttachment(ctx, tx, t, attachmentID, domain.AttachmentVisibility(c), store.ForUpdate)
		if err != nil {
			return err
		}
		keys, err = a.deleteAttachments(ctx, tx, t, c.Subject(), reason, att)
		return err
	})
	if err != nil {
		return wrap("DeleteAttachment", err)
	}
	a.sweepNow(ctx, keys)
	return nil
}

// deleteAttachments deletes the rows of atts of ticket t, each with an
// `attachment_deleted` history entry by actor, and lists their objects in
// the sweep, due now; it returns their keys.
func (a *App) deleteAttachments(ctx context.Context, tx pgx.Tx, t domain.Ticket, actor, reason string, atts ...domain.Attachment) ([]string, error) {
	var keys []string
	for _, att := range atts {
		if err := a.store.DeleteAttachment(ctx, tx, att.ID); err != nil {
			return nil, err
		}
		if _, err := a.store.AppendHistory(ctx, tx, t, domain.HistoryEntry{Kind: domain.HistoryAttachmentDeleted, Actor: actor,
			Reason: reason, Detail: att.ID, EventID: uuid.NewString(), CreateTime: a.timestamp()}); err != nil {
			return nil, err
		}
		keys = append(keys, att.Keys()...)
	}
	return keys, a.store.MarkObjects(ctx, tx, t.Tenant, keys, a.timestamp())
}
