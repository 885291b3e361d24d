package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// ListTickets returns one page of the tickets the caller may see that match
// the filter, and the token of the next page ("" on the last).
func (a *App) ListTickets(ctx context.Context, r domain.ListRequest) ([]domain.Ticket, string, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return nil, "", err
	}
	if err := r.Resolve(c); err != nil {
		return nil, "", err
	}
	after, err := decodeToken(c, r.Filter, r.PageToken)
	if err != nil {
		return nil, "", err
	}
	var (
		ts   []domain.Ticket
		more bool
	)
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if ts, more, err = a.store.ListTickets(ctx, tx, domain.VisibilityOf(c), r.Filter, after, r.PageSize); err != nil {
			return err
		}
		return a.logReads(ctx, tx, c, "ListTickets", ts...)
	})
	if err != nil {
		return nil, "", wrap("ListTickets", err)
	}
	next := ""
	if more {
		next = encodeToken(c, r.Filter, ts[len(ts)-1])
	}
	for i := range ts {
		ts[i] = domain.Redact(c, ts[i])
	}
	return ts, next, nil
}
