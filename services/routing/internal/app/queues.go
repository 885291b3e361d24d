package app

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// ListAssignments returns a ticket's history, oldest first. A ticket whose
// history is invisible to the caller (another tenant, or GBV for a role
// that may not see it) is NotFound.
func (a *App) ListAssignments(ctx context.Context, scope pg.Scope, ticketID string, includeGBV bool) ([]domain.Assignment, error) {
	var out []domain.Assignment
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		var err error
		out, err = store.ListAssignments(ctx, tx, ticketID, includeGBV)
		if err == nil && len(out) == 0 {
			return apperr.NotFound("ticket " + ticketID)
		}
		if err != nil {
			return err
		}
		as := make([]*domain.Assignment, len(out))
		for i := range out {
			as[i] = &out[i]
		}
		return a.disclose(ctx, tx, scope, actionListAssignments, as...)
	})
	if err != nil {
		return nil, fmt.Errorf("app.ListAssignments: %w", err)
	}
	return out, nil
}

// ListTeamQueue lists a visible team's current tickets.
func (a *App) ListTeamQueue(ctx context.Context, scope pg.Scope, f store.QueueFilter) ([]domain.QueuedTicket, error) {
	var out []domain.QueuedTicket
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		team, err := store.GetTeam(ctx, tx, f.TeamID, false)
		if err != nil {
			return notFound(err, "team "+f.TeamID)
		}
		f.Tenant = team.Tenant
		out, err = store.ListQueue(ctx, tx, f)
		if err != nil {
			return err
		}
		return a.discloseQueue(ctx, tx, scope, actionListTeamQueue, onPage(out, f.Limit))
	})
	if err != nil {
		return nil, fmt.Errorf("app.ListTeamQueue: %w", err)
	}
	return out, nil
}

// ListTriageQueue lists a tenant's current tickets that no team took.
func (a *App) ListTriageQueue(ctx context.Context, scope pg.Scope, f store.QueueFilter) ([]domain.QueuedTicket, error) {
	var out []domain.QueuedTicket
	f.TeamID = ""
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		var err error
		if out, err = store.ListQueue(ctx, tx, f); err != nil {
			return err
		}
		return a.discloseQueue(ctx, tx, scope, actionListTriageQueue, onPage(out, f.Limit))
	})
	if err != nil {
		return nil, fmt.Errorf("app.ListTriageQueue: %w", err)
	}
	return out, nil
}

// RecordTicketStatus stores a ticket's status unless a later one is known.
func (a *App) RecordTicketStatus(ctx context.Context, scope pg.Scope, tenant, ticketID, status string, sequence int64) (bool, error) {
	var applied bool
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		var err error
		applied, err = store.RecordStatus(ctx, tx, tenant, ticketID, status, sequence)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("app.RecordTicketStatus: %w", err)
	}
	return applied, nil
}
