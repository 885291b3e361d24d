package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/background"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// releaseBatch bounds the waiting messages one release takes.
const releaseBatch = 500

// releaseLock keeps two replicas from releasing at once: each would digest
// part of a recipient's messages, and the recipient would get two digests.
var releaseLock = pg.LockID("notify.release")

// ReleaseWaiting sends what waited for its time (a team's business hours,
// the reporter's morning), across every municipality: for each recipient
// and channel (and for a reporter, each ticket), one message as it is, or
// several as one digest, with their delivery jobs, in one transaction.
// It reports how many messages it released.
func (a *App) ReleaseWaiting(ctx context.Context) (int, error) {
	n := 0
	err := a.inTx(ctx, access.System("notify-release").Scope(), func(tx pgx.Tx) error {
		var locked bool
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1)`, releaseLock).Scan(&locked); err != nil || !locked {
			return err
		}
		now := a.timestamp()
		due, err := a.Store.DueWaiting(ctx, tx, now, releaseBatch)
		if err != nil {
			return err
		}
		n = len(due)
		for _, group := range groupWaiting(due) {
			if err := a.release(ctx, tx, group, now); err != nil {
				return err
			}
		}
		return nil
	})
	return n, wrap("ReleaseWaiting", err)
}

// groupWaiting groups messages by recipient and channel, a reporter's by
// ticket too, keeping their order.
func groupWaiting(ms []domain.Message) [][]domain.Message {
	type key struct {
		tenant, ticket string
		recipient      domain.RecipientKind
		id             string
		channel        domain.Channel
	}
	var (
		order []key
		by    = map[key][]domain.Message{}
	)
	for _, m := range ms {
		k := key{tenant: m.Tenant, recipient: m.Recipient, id: m.RecipientID, channel: m.Channel}
		if m.Recipient == domain.RecipientReporter {
			k.ticket = m.TicketID
		}
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], m)
	}
	out := make([][]domain.Message, 0, len(order))
	for _, k := range order {
		out = append(out, by[k])
	}
	return out
}

// release queues one group of waiting messages: one as it is, several as
// a digest that carries them.
func (a *App) release(ctx context.Context, tx pgx.Tx, ms []domain.Message, now time.Time) error {
	if len(ms) == 1 {
		m := ms[0]
		m.State, m.NotBefore, m.Update = domain.StateQueued, nil, now
		if err := a.Store.SetState(ctx, tx, m); err != nil {
			return err
		}
		return a.Jobs.Deliver(ctx, tx, m)
	}
	first := ms[0]
	d := domain.Message{ID: uuid.NewString(), Tenant: first.Tenant, TicketID: first.TicketID, Recipient: first.Recipient,
		RecipientID: first.RecipientID, Channel: first.Channel, Language: first.Language, State: domain.StateQueued,
		Create: now, Update: now}
	d.Subject, d.Body = domain.Digest(ms)
	for _, m := range ms {
		d.GBV = d.GBV || m.GBV
		if m.TicketID != d.TicketID {
			d.TicketID = ""
		}
	}
	if _, err := a.Store.InsertMessage(ctx, tx, d); err != nil {
		return err
	}
	for _, m := range ms {
		m.State, m.DigestID, m.Update = domain.StateDigested, d.ID, now
		if err := a.Store.SetState(ctx, tx, m); err != nil {
			return err
		}
	}
	return a.Jobs.Deliver(ctx, tx, d)
}

// ReleaseLoop runs ReleaseWaiting every interval until ctx ends
// (server.Options.Background); a failed round is logged and the next one
// tries again.
func (a *App) ReleaseLoop(log *slog.Logger, interval time.Duration) func(context.Context) error {
	return background.Every(interval, false, func(ctx context.Context) {
		if n, err := a.ReleaseWaiting(ctx); err != nil && ctx.Err() == nil {
			log.Error("release waiting messages", "err", err)
		} else if n > 0 {
			log.Info("released waiting messages", "messages", n)
		}
	})
}
