package app

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// SetAttachmentPublic publishes an attachment to Open311 or withdraws it,
// as domain.MayPublish rules (staff; never a GBV ticket's or an internal
// note's), with an `attachment_published` or `attachment_withdrawn`
// history entry when it changes. The answer carries the attachment's
// name, so a GBV ticket's read is logged.
func (a *App) SetAttachmentPublic(ctx context.Context, ticketID, attachmentID string, public bool) (domain.Attachment, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return domain.Attachment{}, err
	}
	if err := domain.CheckAttachmentRef(ticketID, attachmentID); err != nil {
		return domain.Attachment{}, err
	}
	var att domain.Attachment
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		t, err := a.store.GetTicket(ctx, tx, ticketID, domain.VisibilityOf(c), store.ForUpdate)
		if err != nil {
			return err
		}
		if err := domain.MayChange(c, t); err != nil {
			return err
		}
		var noteVis string
		att, noteVis, err = a.store.GetAttachment(ctx, tx, t, attachmentID, domain.AttachmentVisibility(c), store.ForUpdate)
		if err != nil {
			return err
		}
		if public {
			err = domain.MayPublish(c, t, noteVis)
		} else {
			err = domain.MayDelete(c, t) // withdrawing needs what deleting needs: staff
		}
		if err != nil {
			return err
		}
		if att.Public != public {
			if err := a.store.SetAttachmentPublic(ctx, tx, att.ID, public); err != nil {
				return err
			}
			kind := domain.HistoryAttachmentWithdrawn
			if public {
				kind = domain.HistoryAttachmentPublished
			}
			if _, err := a.store.AppendHistory(ctx, tx, t, domain.HistoryEntry{Kind: kind, Actor: c.Subject(),
				Detail: att.ID, EventID: uuid.NewString(), CreateTime: a.timestamp()}); err != nil {
				return err
			}
			att.Public = public
		}
		return a.logReads(ctx, tx, c, "SetAttachmentPublic", t)
	})
	if err != nil {
		return domain.Attachment{}, wrap("SetAttachmentPublic", err)
	}
	out, err := a.withURLs(ctx, []domain.Attachment{att})
	if err != nil {
		return domain.Attachment{}, wrap("SetAttachmentPublic", err)
	}
	return out[0], nil
}
