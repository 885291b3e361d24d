package app

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// SubmitPublicReport files an Open311 report for an API client (internal
// RPC, the gateway's). It is created like any citizen's report, by the
// subject `open311:<client id>` in the gateway's jurisdiction, so routing,
// clocks and GBV sealing are exactly those of CreateTicket; the media URL
// and attributes are stored with it (folded into the sealed description of
// a GBV report).
func (a *App) SubmitPublicReport(ctx context.Context, r domain.PublicReport) (domain.Ticket, error) {
	reporter, media, err := a.publicReporter(ctx, &r)
	if err != nil {
		return domain.Ticket{}, err
	}
	t, err := a.create(ctx, reporter, r.CreateInput, r.Digest(), nil, media)
	return t, wrap("SubmitPublicReport", err)
}

// publicReporter checks an Open311 report's internal call (the gateway's,
// or a service's, for the jurisdiction its token names) and returns the
// client's citizen caller that files it, and the write that stores its
// media URL and attributes with a non-GBV ticket.
func (a *App) publicReporter(ctx context.Context, r *domain.PublicReport) (access.Caller, func(context.Context, pgx.Tx, domain.Ticket) error, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireInternal, r)
	if err != nil {
		return c, nil, err
	}
	reporter, err := c.ForCitizen(r.Reporter())
	if err != nil {
		return reporter, nil, err
	}
	media := func(ctx context.Context, tx pgx.Tx, t domain.Ticket) error {
		if t.IsGBV() || (r.MediaURL == "" && len(r.Attributes) == 0) {
			return nil
		}
		if err := a.store.SetMedia(ctx, tx, t.ID, r.MediaURL, r.Attributes); err != nil {
			return err
		}
		if parent := r.Attributes[domain.AttributeDuplicateOf]; parent != "" {
			return a.linkReport(ctx, tx, reporter, t, parent)
		}
		return nil
	}
	return reporter, media, nil
}

// linkReport closes a new Open311 report t as a duplicate of parentID, in
// its creating transaction, when the client says the reporter chose to add
// to that report: the same rules as staff's LinkDuplicate, in the
// jurisdiction and never with a GBV ticket (which Open311 cannot see). A
// parent that breaks them refuses the whole report, naming the attribute.
func (a *App) linkReport(ctx context.Context, tx pgx.Tx, reporter access.Caller, t domain.Ticket, parentID string) error {
	if err := domain.CheckID(parentID, domain.AttributeDuplicateOfField); err != nil {
		return err
	}
	parent, err := a.store.GetTicket(ctx, tx, parentID, domain.Visibility{Tenant: t.Tenant}, store.ForUpdate)
	if errors.Is(err, domain.ErrTicketNotFound) {
		return apperr.Invalid(domain.AttributeDuplicateOfField, "must be the service_request_id of a request of this jurisdiction")
	}
	if err != nil {
		return err
	}
	if err := domain.DecideLink(reporter, t, parent); err != nil {
		return apperr.Invalid(domain.AttributeDuplicateOfField, err.Error())
	}
	_, _, err = a.applyLink(ctx, tx, reporter.Subject(), t, parent, "the reporter added to this report through Open311")
	return err
}
