package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/background"
)

// ApplyDueBoundarySets moves the teams built from wards to every boundary
// set whose effective time has come and that they have not followed yet,
// oldest first, each in its own transaction, and returns how many it
// applied. It works across municipalities (a set may absorb others), as
// access.System.
func (a *App) ApplyDueBoundarySets(ctx context.Context) (int, error) {
	scope := access.System("routing-boundaries").Scope()
	applied := 0
	for {
		done := false
		err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
			now := a.now()
			due, err := a.store.DueBoundarySets(ctx, tx, now)
			if err != nil || len(due) == 0 {
				done = true
				return err
			}
			set := due[0]
			if set.Report.Teams, err = a.store.ApplyWardTeams(ctx, tx, set); err != nil {
				return err
			}
			sortRetired(set.Report.Teams.Retired)
			return a.store.SaveBoundaryReport(ctx, tx, set.ID, set.Report, &now)
		})
		if err != nil {
			return applied, wrap("ApplyDueBoundarySets", err)
		}
		if done {
			break
		}
		applied++
	}
	if applied > 0 {
		if err := a.store.AnalyzeTeams(ctx, a.pool); err != nil {
			a.log.WarnContext(ctx, "analyze after boundary sets", "error", err.Error())
		}
	}
	return applied, nil
}

// BoundaryLoop runs ApplyDueBoundarySets every interval until ctx ends
// (server.Options.Background).
func (a *App) BoundaryLoop(log *slog.Logger, interval time.Duration) func(context.Context) error {
	return background.Every(interval, false, func(ctx context.Context) {
		if n, err := a.ApplyDueBoundarySets(ctx); err != nil && ctx.Err() == nil {
			log.Error("apply boundary sets", "err", err)
		} else if n > 0 {
			log.Info("teams followed new ward boundaries", "sets", n)
		}
	})
}
