package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// SubmitPublicReport files an Open311 report for an API client (internal
// RPC, the gateway's). It is created like any citizen's report, by the
// subject `open311:<client id>` in the gateway's jurisdiction, so routing,
// clocks and GBV sealing are exactly those of CreateTicket; the media URL
// and attributes are stored with it (folded into the sealed description of
// a GBV report).
func (a *App) SubmitPublicReport(ctx context.Context, r domain.PublicReport) (domain.Ticket, error) {
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
	t, err := a.create(ctx, reporter, r.CreateInput, r.Digest(), media)
	return t, wrap("SubmitPublicReport", err)
}
