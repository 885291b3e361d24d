package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// ListPublicTickets lists the public tickets of the caller's jurisdiction
// (internal RPC, the gateway's Open311). They are read with the public's
// scope, no roles, so row-level security hides GBV rows too, behind the
// query's own exclusion.
func (a *App) ListPublicTickets(ctx context.Context, f domain.PublicFilter) ([]domain.PublicTicket, bool, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireInternal, &f)
	if err != nil {
		return nil, false, err
	}
	var (
		ts   []domain.PublicTicket
		more bool
	)
	err = a.inTx(ctx, c.PublicScope(), func(tx pgx.Tx) error {
		ts, more, err = a.store.ListPublic(ctx, tx, f)
		return err
	})
	return ts, more, wrap("ListPublicTickets", err)
}
