package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// CreateTeam stores a new team, for a municipal admin of its municipality
// or a platform admin: its escalation team another team of the
// municipality (a SAPS team for a SAPS team), its area valid and inside
// the municipality's boundary.
func (a *App) CreateTeam(ctx context.Context, in *domain.TeamInput) (domain.Team, error) {
	c, err := access.Check(ctx, access.Caller.RequireAdmin)
	if err != nil {
		return domain.Team{}, err
	}
	if in == nil {
		return domain.Team{}, domain.ErrNoTeam
	}
	tenant, err := c.Tenant(in.Tenant, "team.tenant")
	if err != nil {
		return domain.Team{}, err
	}
	t, err := in.NewTeam(tenant)
	if err != nil {
		return domain.Team{}, err
	}
	var out domain.Team
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if err := a.checkTeam(ctx, tx, &t, t.ServiceArea != "", in.RepairArea); err != nil {
			return err
		}
		out, err = a.store.InsertTeam(ctx, tx, t)
		return err
	})
	return out, wrap("CreateTeam", err)
}
