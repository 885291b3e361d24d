package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/background"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// folder is the caller of the folds of report deltas: the process's own
// upkeep of every municipality's report cells.
var folder = access.System("sla-report-fold")

// foldBatch is how many report deltas one fold transaction adds to the
// cells.
const foldBatch = 5000

// FoldReports adds the report deltas recorded so far to the report cells
// (store.FoldReportDeltas), in transactions of at most foldBatch, and
// returns how many it folded. Reports read the same figures before and
// after; the fold keeps what they read small. With another replica folding
// at the same time it folds nothing and leaves the work to that one.
func (a *App) FoldReports(ctx context.Context) (int, error) {
	total := 0
	for {
		var n int
		err := a.inTx(ctx, folder.Scope(), func(tx pgx.Tx) (err error) {
			n, err = store.FoldReportDeltas(ctx, tx, foldBatch)
			return err
		})
		if err != nil {
			return total, wrap("FoldReports", err)
		}
		total += n
		if n < foldBatch {
			return total, nil
		}
	}
}

// FoldReportsEvery returns the loop, for server.Options.Background, that
// folds the report deltas every interval until its context ends. A failed
// fold is logged and the next tick tries again: the deltas wait, and the
// reports count them meanwhile.
func (a *App) FoldReportsEvery(log *slog.Logger, interval time.Duration) func(context.Context) error {
	return background.Every(interval, false, func(ctx context.Context) {
		if _, err := a.FoldReports(ctx); err != nil && ctx.Err() == nil {
			log.ErrorContext(ctx, "sla report fold failed", "error", err.Error())
		}
	})
}
