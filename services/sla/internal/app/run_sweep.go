package app

import (
	"context"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// RunSweep sweeps now for another service (internal RPC): up to limit due
// clocks (0 for the default) of every municipality, as the sweep always
// runs.
func (a *App) RunSweep(ctx context.Context, limit int) (SweepResult, error) {
	if _, err := access.Check(ctx, access.Caller.RequireService); err != nil {
		return SweepResult{}, err
	}
	limit, err := domain.SweepLimit(limit)
	if err != nil {
		return SweepResult{}, err
	}
	return a.Sweep(ctx, limit, a.batch)
}
