package app

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// CreateTicketWithAttachments is CreateTicket with photos. Every file is
// received and cleaned first (a refused one refuses the report, and
// nothing is created or stored), its objects written (sealed for a GBV
// report, to the ticket's id chosen here), and the ticket and attachment
// rows committed in one transaction. The idempotency digest covers the
// files; a retry answers with the first ticket and its attachments as the
// caller may see them (a GBV receipt has none).
func (a *App) CreateTicketWithAttachments(ctx context.Context, in domain.CreateInput, files Files) (domain.Ticket, []domain.Attachment, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return domain.Ticket{}, nil, err
	}
	if err := in.Resolve(c); err != nil {
		return domain.Ticket{}, nil, err
	}
	t, atts, err := a.createWithFiles(ctx, c, "CreateTicketWithAttachments", in, in.Digest(), files, nil)
	return t, atts, wrap("CreateTicketWithAttachments", err)
}

// createWithFiles cleans and stores files, then creates the ticket of in
// by c with their attachments (and what extra writes), as create does.
func (a *App) createWithFiles(ctx context.Context, c access.Caller, action string, in domain.CreateInput, digest []byte, files Files,
	extra func(context.Context, pgx.Tx, domain.Ticket) error) (domain.Ticket, []domain.Attachment, error) {
	planned := domain.Ticket{ID: uuid.NewString(), Tenant: in.Tenant, Category: in.Category}
	cs, err := a.cleanFiles(ctx, files, a.photos.MaxPerTicket, func(f domain.NewFile) error {
		if f.Public {
			return domain.MayPublish(c, planned, "")
		}
		return nil
	})
	if err != nil {
		return domain.Ticket{}, nil, err
	}
	defer removeAll(cs)
	now := a.timestamp()
	atts := make([]domain.Attachment, len(cs))
	fds := make([]domain.FileDigest, len(cs))
	for i, cl := range cs {
		atts[i] = newAttachment(planned, uuid.NewString(), "", c.Subject(), cl, now)
		fds[i] = domain.FileDigest{Name: cl.file.Name, Public: cl.file.Public, SHA256: fmt.Sprintf("%x", cl.imageSum)}
	}
	var upload string
	if len(cs) > 0 {
		if upload, err = a.storeCleaned(ctx, c, in.Tenant, atts, cs); err != nil {
			return domain.Ticket{}, nil, err
		}
	}
	t, err := a.createAs(ctx, c, action, in, domain.DigestWithFiles(digest, fds), planned.ID, nil, func(ctx context.Context, tx pgx.Tx, t domain.Ticket) error {
		if extra != nil {
			if err := extra(ctx, tx, t); err != nil {
				return err
			}
		}
		if err := a.addAttachments(ctx, tx, c, t, atts, false); err != nil {
			return err
		}
		return a.store.FinishUpload(ctx, tx, upload)
	})
	if err != nil {
		return domain.Ticket{}, nil, err
	}
	if t.IsGBV() && !c.CanSeeGBV() {
		return t, nil, nil // a receipt: no content, no attachments
	}
	if t.ID != planned.ID {
		// A retry: the first request's attachments, as c sees them.
		if err := a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
			atts, err = a.store.ListAttachments(ctx, tx, t, domain.AttachmentVisibility(c))
			return err
		}); err != nil {
			return domain.Ticket{}, nil, err
		}
	}
	atts, err = a.withURLs(ctx, atts)
	return t, atts, err
}
