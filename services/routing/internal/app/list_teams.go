package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ListTeams returns a page of a municipality's teams by name, to its staff
// and services, and the token of the next page ("" on the last).
func (a *App) ListTeams(ctx context.Context, l domain.TeamList) ([]domain.Team, string, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return nil, "", err
	}
	tenant, err := c.Tenant(l.Tenant, "tenant")
	if err != nil {
		return nil, "", err
	}
	f, err := l.Filter(tenant)
	if err != nil {
		return nil, "", err
	}
	var ts []domain.Team
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		ts, err = a.store.ListTeams(ctx, tx, f)
		return err
	})
	if err != nil {
		return nil, "", wrap("ListTeams", err)
	}
	ts, next := domain.NextPage(ts, f.Page)
	return ts, next, nil
}
