package app

import (
	"context"
	"fmt"
	"io"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// UploadAttachment adds the photo body to a ticket the caller may change,
// as domain.MayUpload rules. Who may upload, to which ticket and note, and
// whether the ticket has room are checked before a byte is read; the
// file is then cleaned (a refused one stores nothing), its objects written
// (sealed for a GBV ticket) and its row, with an `attachment_added`
// history entry, committed under the ticket's lock, which checks the room
// again. The answer carries the file's name, so a GBV ticket's read is
// logged.
func (a *App) UploadAttachment(ctx context.Context, in domain.NewAttachment, body io.Reader) (domain.Attachment, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return domain.Attachment{}, err
	}
	if err := in.Validate(); err != nil {
		return domain.Attachment{}, err
	}
	var t domain.Ticket
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		t, err = a.mayAttach(ctx, tx, c, in, store.NoLock)
		return err
	})
	if err != nil {
		return domain.Attachment{}, wrap("UploadAttachment", err)
	}
	cl, err := a.clean(ctx, in.File, body)
	if err != nil {
		return domain.Attachment{}, wrap("UploadAttachment", err)
	}
	defer cl.remove()
	atts := []domain.Attachment{newAttachment(t, uuid.NewString(), in.NoteID, c.Subject(), cl, a.timestamp())}
	upload, err := a.storeCleaned(ctx, c, t.Tenant, atts, []*cleaned{cl})
	if err != nil {
		return domain.Attachment{}, wrap("UploadAttachment", err)
	}
	att := atts[0]
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if t, err = a.mayAttach(ctx, tx, c, in, store.ForUpdate); err != nil {
			return err
		}
		att.CreateTime = a.timestamp()
		if err := a.addAttachments(ctx, tx, c, t, []domain.Attachment{att}, true); err != nil {
			return err
		}
		if err := a.store.FinishUpload(ctx, tx, upload); err != nil {
			return err
		}
		return a.logReads(ctx, tx, c, "UploadAttachment", t)
	})
	if err != nil {
		return domain.Attachment{}, wrap("UploadAttachment", err)
	}
	out, err := a.withURLs(ctx, []domain.Attachment{att})
	if err != nil {
		return domain.Attachment{}, wrap("UploadAttachment", err)
	}
	return out[0], nil
}

// mayAttach reads the ticket of upload in as c sees it (locked when lock
// says so) and refuses the upload unless c may add it there, to a note of
// the ticket c wrote, within the ticket's room.
func (a *App) mayAttach(ctx context.Context, tx pgx.Tx, c access.Caller, in domain.NewAttachment, lock store.Lock) (domain.Ticket, error) {
	t, err := a.store.GetTicket(ctx, tx, in.TicketID, domain.VisibilityOf(c), lock)
	if err != nil {
		return t, err
	}
	if err := domain.MayUpload(c, t, in.File); err != nil {
		return t, err
	}
	if in.NoteID != "" {
		vis, err := a.store.NoteVisibility(ctx, tx, t, in.NoteID, c.Subject())
		if err != nil {
			return t, err
		}
		if in.File.Public {
			if err := domain.MayPublish(c, t, vis); err != nil {
				return t, err
			}
		}
	}
	return t, a.roomFor(ctx, tx, t, 1)
}

// roomFor refuses n more attachments on ticket t beyond the limit.
func (a *App) roomFor(ctx context.Context, tx pgx.Tx, t domain.Ticket, n int) error {
	have, err := a.store.CountAttachments(ctx, tx, t.ID)
	if err != nil {
		return err
	}
	if have+n > a.photos.MaxPerTicket {
		return apperr.FailedPrecondition(fmt.Sprintf("a ticket holds at most %d attachments; this one has %d", a.photos.MaxPerTicket, have))
	}
	return nil
}

// addAttachments writes the rows of atts (their objects are stored) on
// ticket t, each with an `attachment_added` history entry by c when
// history says so: photos sent with a report are part of its `created`
// entry (and a citizen reporting GBV could not append to the history of
// a ticket it may not read).
func (a *App) addAttachments(ctx context.Context, tx pgx.Tx, c access.Caller, t domain.Ticket, atts []domain.Attachment, history bool) error {
	for _, att := range atts {
		if err := a.store.InsertAttachment(ctx, tx, t, att); err != nil {
			return err
		}
		if !history {
			continue
		}
		if _, err := a.store.AppendHistory(ctx, tx, t, domain.HistoryEntry{Kind: domain.HistoryAttachmentAdded,
			Actor: c.Subject(), Detail: att.ID, EventID: uuid.NewString(), CreateTime: att.CreateTime}); err != nil {
			return err
		}
	}
	return nil
}
