package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/background"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// Batches of the attachment sweep: tickets past retention per
// transaction round, objects per round.
const (
	retentionBatch = 100
	objectBatch    = 500
)

// Callers of the attachment sweeps: the process's own work across every
// municipality. The object sweep sees every attachment (GBV included) to
// tell whether an object is still used; the retention sweep deletes the
// attachments of every municipality's finished tickets past its retention.
var (
	objectSweeper    = access.System("ticket-object-sweep")
	retentionSweeper = access.System("ticket-attachment-retention")
)

// sweepNow deletes the objects of keys that are due and unused, at once;
// a failure leaves them to the periodic sweep.
func (a *App) sweepNow(ctx context.Context, keys []string) {
	for _, k := range keys {
		_, _ = a.sweepObject(context.WithoutCancel(ctx), k)
	}
}

// sweepObject deletes the object of key if it is due and no attachment
// uses it, in the transaction that takes it off the sweep, and reports
// whether it did.
func (a *App) sweepObject(ctx context.Context, key string) (bool, error) {
	var deleted bool
	err := a.inTx(ctx, objectSweeper.Scope(), func(tx pgx.Tx) error {
		unused, err := a.store.SweepObject(ctx, tx, key, a.timestamp())
		if err != nil || !unused {
			return err
		}
		deleted = true
		return a.photos.Objects.Delete(ctx, key)
	})
	return deleted, err
}

// SweepObjects deletes every due, unused object of the sweep and returns
// how many it deleted.
func (a *App) SweepObjects(ctx context.Context) (int, error) {
	total := 0
	for {
		var keys []string
		err := a.inTx(ctx, objectSweeper.Scope(), func(tx pgx.Tx) error {
			var err error
			keys, err = a.store.DueObjects(ctx, tx, a.timestamp(), objectBatch)
			return err
		})
		if err != nil {
			return total, wrap("SweepObjects", err)
		}
		for _, k := range keys {
			deleted, err := a.sweepObject(ctx, k)
			if err != nil {
				return total, wrap("SweepObjects", err)
			}
			if deleted {
				total++
			}
		}
		if len(keys) < objectBatch {
			return total, nil
		}
	}
}

// ApplyRetention deletes the attachments of every ticket that finished
// longer ago than its municipality keeps them, ticket by ticket, each with
// `attachment_deleted` history entries by `system`, and then their
// objects; it returns how many attachments it deleted.
func (a *App) ApplyRetention(ctx context.Context) (int, error) {
	total := 0
	for {
		var expired []store.Expired
		err := a.inTx(ctx, retentionSweeper.Scope(), func(tx pgx.Tx) error {
			var err error
			expired, err = a.store.ExpiredTickets(ctx, tx, a.timestamp(), retentionBatch)
			return err
		})
		if err != nil {
			return total, wrap("ApplyRetention", err)
		}
		for _, e := range expired {
			n, err := a.expire(ctx, e)
			if err != nil {
				return total, wrap("ApplyRetention", err)
			}
			total += n
		}
		if len(expired) < retentionBatch {
			return total, nil
		}
	}
}

// expire deletes the attachments of expired ticket e.
func (a *App) expire(ctx context.Context, e store.Expired) (int, error) {
	var keys []string
	var n int
	err := a.inTx(ctx, retentionSweeper.Scope(), func(tx pgx.Tx) error {
		t, err := a.store.GetTicket(ctx, tx, e.TicketID, domain.Visibility{AllTenants: true, GBV: true}, store.ForUpdate)
		if err != nil {
			return err
		}
		atts, err := a.store.ListAttachments(ctx, tx, t, domain.AttachmentsOf{All: true})
		if err != nil {
			return err
		}
		n = len(atts)
		keys, err = a.deleteAttachments(ctx, tx, t, domain.ActorSystem, retentionReason(e.Days), atts...)
		return err
	})
	if err != nil {
		return 0, err
	}
	a.sweepNow(ctx, keys)
	return n, nil
}

// retentionReason is the history's reason for a deletion by retention.
func retentionReason(days int) string {
	return fmt.Sprintf("retention: the municipality keeps attachments %d days after a ticket is finished", days)
}

// SweepAttachments returns the loop, for server.Options.Background, that
// applies the municipalities' retention and deletes unused objects at
// start and then every Photos.SweepEvery until its context ends; a failed
// round is logged and tried again at the next tick.
func (a *App) SweepAttachments(log *slog.Logger) func(context.Context) error {
	return background.Every(max(a.photos.SweepEvery, time.Second), true, func(ctx context.Context) {
		expired, err := a.ApplyRetention(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("attachment retention failed", "error", err.Error())
		}
		swept, err := a.SweepObjects(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("object sweep failed", "error", err.Error())
		}
		if expired > 0 || swept > 0 {
			log.Info("attachments swept", "expired", expired, "objects", swept)
		}
	})
}
