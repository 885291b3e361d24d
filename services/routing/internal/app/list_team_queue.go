package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ListTeamQueue returns a page of a team's current tickets, oldest
// assignment first, to staff of its municipality, and the token of the
// next page ("" on the last). GBV tickets are in it only for the tenant's
// SAPS liaison.
func (a *App) ListTeamQueue(ctx context.Context, r domain.QueueRequest) ([]domain.QueuedTicket, string, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaff)
	if err != nil {
		return nil, "", err
	}
	f, err := r.TeamQueue(c.CanSeeGBV())
	if err != nil {
		return nil, "", err
	}
	var qs []domain.QueuedTicket
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		team, err := a.store.GetTeam(ctx, tx, f.TeamID, false)
		if err != nil {
			return err
		}
		f.Tenant = team.Tenant
		if qs, err = a.store.ListQueue(ctx, tx, f); err != nil {
			return err
		}
		// The look-ahead row is not in the answer: its note stays sealed.
		return a.discloseQueue(ctx, tx, c, domain.ActionListTeamQueue, qs[:f.Shown(len(qs))])
	})
	if err != nil {
		return nil, "", wrap("ListTeamQueue", err)
	}
	qs, next := domain.NextPage(qs, f.Page)
	return qs, next, nil
}
