package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
	"github.com/salga/trustengine/services/ticket/internal/store/blobs"
)

// Download is an attachment's picture as it is sent: the attachment, the
// picture's type and size, and its bytes, which the receiver closes.
type Download struct {
	Attachment  domain.Attachment
	ContentType string
	Size        int64
	Body        io.ReadCloser
}

// DownloadAttachment opens the image (or thumbnail) of an attachment of a
// ticket the caller sees, as ListAttachments shows it. A GBV ticket's
// picture is opened (authenticated segment by segment) only for the
// tenant's SAPS liaison, whom the ticket's visibility alone lets through,
// and the read is logged in the transaction that found it.
func (a *App) DownloadAttachment(ctx context.Context, ticketID, attachmentID string, thumbnail bool) (Download, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return Download{}, err
	}
	if err := domain.CheckAttachmentRef(ticketID, attachmentID); err != nil {
		return Download{}, err
	}
	var att domain.Attachment
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		t, err := a.store.GetTicket(ctx, tx, ticketID, domain.VisibilityOf(c), store.NoLock)
		if err != nil {
			return err
		}
		if att, _, err = a.store.GetAttachment(ctx, tx, t, attachmentID, domain.AttachmentVisibility(c), store.NoLock); err != nil {
			return err
		}
		return a.logReads(ctx, tx, c, "DownloadAttachment", t)
	})
	if err != nil {
		return Download{}, wrap("DownloadAttachment", err)
	}
	d, err := a.open(ctx, att, thumbnail)
	return d, wrap("DownloadAttachment", err)
}

// DownloadPublicAttachment opens a public attachment of a non-GBV ticket
// of the caller's jurisdiction (internal RPC, the gateway's, for Open311's
// media_url). Anything else is NotFound alike.
func (a *App) DownloadPublicAttachment(ctx context.Context, ref domain.PublicAttachmentRef) (Download, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireInternal, &ref)
	if err != nil {
		return Download{}, err
	}
	var att domain.Attachment
	err = a.inTx(ctx, c.PublicScope(), func(tx pgx.Tx) error {
		att, err = a.store.GetPublicAttachment(ctx, tx, ref.Tenant, ref.TicketID, ref.AttachmentID)
		return err
	})
	if err != nil {
		return Download{}, wrap("DownloadPublicAttachment", err)
	}
	d, err := a.open(ctx, att, ref.Thumbnail)
	return d, wrap("DownloadPublicAttachment", err)
}

// open opens the stored picture of att.
func (a *App) open(ctx context.Context, att domain.Attachment, thumbnail bool) (Download, error) {
	blob, part := att.Image, store.PartImage
	if thumbnail {
		blob, part = att.Thumb, store.PartThumbnail
	}
	obj, err := a.photos.Objects.Get(ctx, blob.Key)
	if errors.Is(err, blobs.ErrNotFound) {
		return Download{}, fmt.Errorf("the object of attachment %s (%s) is missing: %w", att.ID, part, err)
	}
	if err != nil {
		return Download{}, err
	}
	d := Download{Attachment: att, ContentType: blob.ContentType, Size: blob.Size, Body: obj}
	if att.GBV {
		plain, err := a.store.OpenPhoto(obj, att, part)
		if err != nil {
			_ = obj.Close()
			return Download{}, err
		}
		d.Body = readCloser{Reader: plain, Closer: obj}
	}
	return d, nil
}

// readCloser reads one thing and closes another.
type readCloser struct {
	io.Reader
	io.Closer
}
