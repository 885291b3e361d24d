package app

import (
	"context"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// SubmitPublicReportWithMedia is SubmitPublicReport with photos (the
// Open311 `media` file, or what the gateway fetched from `media_url`):
// each is cleaned before anything is created, and the ticket and its
// attachments are created together, by the client's citizen subject, so
// none is public until staff publish it.
func (a *App) SubmitPublicReportWithMedia(ctx context.Context, r domain.PublicReport, files Files) (domain.Ticket, error) {
	reporter, media, err := a.publicReporter(ctx, &r)
	if err != nil {
		return domain.Ticket{}, err
	}
	t, _, err := a.createWithFiles(ctx, reporter, "SubmitPublicReportWithMedia", r.CreateInput, r.Digest(), files, media)
	return t, wrap("SubmitPublicReportWithMedia", err)
}
