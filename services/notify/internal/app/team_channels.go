package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// SetTeamChannel creates or replaces how a team of the caller's
// municipality is reached (municipal admin). The team must be one routing
// has in the municipality (NotFound otherwise). An empty secret keeps the
// stored one.
func (a *App) SetTeamChannel(ctx context.Context, ch domain.TeamChannel) (domain.TeamChannel, error) {
	c, err := caller(ctx, mayAdminister)
	if err != nil {
		return ch, err
	}
	tenant, err := c.Tenant("", "tenant")
	if err != nil {
		return ch, err
	}
	var stored []domain.TeamChannel
	if domain.IsID(ch.TeamID) {
		if err := a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
			stored, err = a.Store.TeamChannels(ctx, tx, tenant, []string{ch.TeamID})
			return err
		}); err != nil {
			return ch, wrap("SetTeamChannel", err)
		}
	}
	check := ch
	if check.WebhookSecret == "" && len(stored) > 0 {
		check.WebhookSecret = stored[0].WebhookSecret
	}
	if err := check.Validate(a.DevMode); err != nil {
		return ch, err
	}
	if a.Teams == nil {
		return ch, apperr.FailedPrecondition("the routing service is not configured here (ROUTING_ADDR), so the team cannot be checked")
	}
	if _, err := a.Teams.GetTeam(ctx, tenant, ch.TeamID); err != nil {
		return ch, wrap("SetTeamChannel", err)
	}
	ch.Emails, ch.WebhookURL, ch.Language, ch.Update = check.Emails, check.WebhookURL, ch.Language.Or(), a.timestamp()
	if ch.WebhookURL == "" {
		ch.WebhookSecret = ""
	}
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error { return a.Store.PutTeamChannel(ctx, tx, tenant, ch) })
	ch.WebhookSecret = check.WebhookSecret
	return ch, wrap("SetTeamChannel", err)
}

// DeleteTeamChannel removes a team channel (municipal admin).
func (a *App) DeleteTeamChannel(ctx context.Context, team string) error {
	c, err := caller(ctx, mayAdminister)
	if err != nil {
		return err
	}
	if err := domain.CheckID(team, "team_id"); err != nil {
		return err
	}
	tenant, err := c.Tenant("", "tenant")
	if err != nil {
		return err
	}
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error { return a.Store.DeleteTeamChannel(ctx, tx, tenant, team) })
	return wrap("DeleteTeamChannel", err)
}

// ListTeamChannels lists the team channels of the caller's municipality
// (staff); callers drop the secrets.
func (a *App) ListTeamChannels(ctx context.Context) ([]domain.TeamChannel, error) {
	c, err := caller(ctx, access.Caller.RequireStaff)
	if err != nil {
		return nil, err
	}
	tenant, err := c.Tenant("", "tenant")
	if err != nil {
		return nil, err
	}
	var out []domain.TeamChannel
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = a.Store.TeamChannels(ctx, tx, tenant, nil)
		return err
	})
	return out, wrap("ListTeamChannels", err)
}
