package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// GetTeam returns one team of the caller's municipality with its area, to
// staff and services.
func (a *App) GetTeam(ctx context.Context, id string) (domain.Team, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return domain.Team{}, err
	}
	if err := domain.CheckID(id, "id"); err != nil {
		return domain.Team{}, err
	}
	var out domain.Team
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = a.store.GetTeam(ctx, tx, id, true)
		return err
	})
	return out, wrap("GetTeam", err)
}
