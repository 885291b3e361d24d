package app

import (
	"context"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// DeactivateTeam stops a team from receiving new tickets, for a municipal
// admin of its municipality or a platform admin. Its current tickets stay
// with it, so a SAPS team's GBV tickets stay with SAPS.
func (a *App) DeactivateTeam(ctx context.Context, id string) (domain.Team, error) {
	c, err := access.Check(ctx, access.Caller.RequireAdmin)
	if err != nil {
		return domain.Team{}, err
	}
	p, err := domain.Deactivation(id)
	if err != nil {
		return domain.Team{}, err
	}
	t, err := a.patchTeam(ctx, c, p, false)
	return t, wrap("DeactivateTeam", err)
}
