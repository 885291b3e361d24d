package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/salga/trustengine/libs/background"
)

// maxSkew is how far this replica's clock may drift from the database's
// before the sweep loop reports it.
const maxSkew = 30 * time.Second

// SweepEvery returns the loop, for server.Options.Background, that sweeps
// every interval until its context ends. A failed sweep is logged and the
// next tick tries again: a missed tick only delays events, never loses
// them. Every replica runs it; SKIP LOCKED shares the work.
func (a *App) SweepEvery(log *slog.Logger, interval time.Duration) func(context.Context) error {
	return background.Every(interval, false, func(ctx context.Context) {
		res, err := a.Sweep(ctx, 1<<30, a.batch)
		if err != nil {
			if ctx.Err() == nil {
				log.ErrorContext(ctx, "sla sweep failed", "error", err.Error())
			}
			return
		}
		if skew := a.Now().Sub(res.Now); skew > maxSkew || skew < -maxSkew {
			log.WarnContext(ctx, "sla replica clock differs from the database's; the sweep uses the database's",
				"skew", skew.String())
		}
		if res.Warnings+res.Breaches > 0 {
			log.InfoContext(ctx, "sla sweep", "warnings", res.Warnings, "breaches", res.Breaches)
		}
	})
}
