package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// SubmitPublicReportWithMedia is SubmitPublicReport with photos (the
// Open311 `media` file, or what the gateway fetched from `media_url`):
// each is cleaned before anything is created, and the ticket and its
// attachments are created together, by the client's citizen subject, so
// none is public until staff publish it.
func (a *App) SubmitPublicReportWithMedia(ctx context.Context, r domain.PublicReport, files Files) (domain.Ticket, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireInternal, &r)
	if err != nil {
		return domain.Ticket{}, err
	}
	reporter, err := c.ForCitizen(r.Reporter())
	if err != nil {
		return domain.Ticket{}, err
	}
	media := func(ctx context.Context, tx pgx.Tx, t domain.Ticket) error {
		if t.IsGBV() || (r.MediaURL == "" && len(r.Attributes) == 0) {
			return nil
		}
		return a.store.SetMedia(ctx, tx, t.ID, r.MediaURL, r.Attributes)
	}
	t, _, err := a.createWithFiles(ctx, reporter, "SubmitPublicReportWithMedia", r.CreateInput, r.Digest(), files, media)
	return t, wrap("SubmitPublicReportWithMedia", err)
}
