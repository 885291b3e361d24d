// Package background shapes a process's periodic work (sweeps, folds,
// releases) as the loops server.Options.Background runs: every one ticks
// alike and ends with its context, and what a round does, and logs, is
// its own.
package background

import (
	"context"
	"time"
)

// Every returns a loop that calls round every interval until its context
// ends, and once at the start when atStart is set. A round handles its own
// failure (a loop's work is retried by the next tick, so a round logs and
// returns); the loop returns nil when its context ends.
func Every(interval time.Duration, atStart bool, round func(context.Context)) func(context.Context) error {
	return func(ctx context.Context) error {
		t := time.NewTicker(interval)
		defer t.Stop()
		if atStart {
			round(ctx)
		}
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
				round(ctx)
			}
		}
	}
}
