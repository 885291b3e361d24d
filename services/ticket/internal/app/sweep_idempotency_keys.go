package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/background"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// KeySweepEvery is how often expired idempotency keys are deleted. A key is
// also deleted when its caller uses it again after it expired, so the sweep
// only keeps the table from growing; every replica runs it, harmlessly.
const KeySweepEvery = time.Hour

// keySweepBatch is how many expired keys one statement deletes, so a large
// backlog never holds long locks.
const keySweepBatch = 10000

// keySweeper is the sweep's caller: the process's own work across every
// municipality.
var keySweeper = access.System("ticket-idempotency-sweep")

// DeleteExpiredKeys deletes the idempotency keys of every municipality older
// than the window, in batches, and returns how many.
func (a *App) DeleteExpiredKeys(ctx context.Context) (int64, error) {
	before := a.timestamp().Add(-domain.IdempotencyWindow)
	var total int64
	for {
		var n int64
		err := a.inTx(ctx, keySweeper.Scope(), func(tx pgx.Tx) error {
			var err error
			n, err = a.store.DeleteExpiredKeys(ctx, tx, before, keySweepBatch)
			return err
		})
		if err != nil {
			return total, wrap("DeleteExpiredKeys", err)
		}
		total += n
		if n < keySweepBatch {
			return total, nil
		}
	}
}

// SweepKeys returns the loop, for server.Options.Background, that deletes
// expired keys at start and then every KeySweepEvery until its context
// ends; a failed sweep is logged and tried again at the next tick.
func (a *App) SweepKeys(log *slog.Logger) func(context.Context) error {
	return background.Every(KeySweepEvery, true, func(ctx context.Context) {
		n, err := a.DeleteExpiredKeys(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("idempotency key sweep failed", "error", err.Error())
		case n > 0:
			log.Info("idempotency keys expired", "deleted", n)
		}
	})
}
