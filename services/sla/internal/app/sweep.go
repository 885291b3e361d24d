package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/jobs"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// SweepResult counts what one sweep recorded.
type SweepResult struct {
	Warnings int
	Breaches int
	// Now is the database time of the sweep's last transaction.
	Now time.Time
}

// Sweep records every warning and breach step due now, handling at most limit
// clocks in transactions of at most batch clocks. Each clock is locked with
// SKIP LOCKED, its events are inserted under a unique key and the clock is
// moved past them in one transaction, so concurrent sweepers and a sweep that
// dies mid-batch can neither lose nor repeat an event.
func (a *App) Sweep(ctx context.Context, limit, batch int) (SweepResult, error) {
	var total SweepResult
	for limit > 0 {
		n := min(limit, batch)
		var got int
		var res SweepResult
		err := pg.InTx(ctx, a.pool, SystemScope, func(tx pgx.Tx) error {
			now, err := a.now(ctx, tx)
			if err != nil {
				return err
			}
			got, res, err = a.sweepBatch(ctx, tx, now, n)
			res.Now = now
			return err
		})
		if err != nil {
			return total, fmt.Errorf("app.Sweep: %w", err)
		}
		total.Warnings += res.Warnings
		total.Breaches += res.Breaches
		total.Now = res.Now
		limit -= got
		if got < n {
			break
		}
	}
	return total, nil
}

func (a *App) sweepBatch(ctx context.Context, tx pgx.Tx, now time.Time, n int) (int, SweepResult, error) {
	var res SweepResult
	clocks, err := store.LockDueClocks(ctx, tx, now, n)
	if err != nil {
		return 0, res, err
	}
	refs := make([]domain.CalendarRef, 0, len(clocks))
	for _, c := range clocks {
		refs = append(refs, c.Calendar())
	}
	cals, err := loadCalendars(ctx, tx, refs...)
	if err != nil {
		return 0, res, err
	}
	var records []river.InsertManyParams
	for i, c := range clocks {
		for _, ev := range c.Due(now, cals.Of(c.Calendar())) {
			ev.CreateTime = now
			fresh, err := store.InsertClockEvent(ctx, tx, &ev)
			if err != nil {
				return 0, res, err
			}
			if !fresh {
				continue
			}
			if ev.Kind == domain.EventWarning {
				res.Warnings++
			} else {
				if ev, err = a.escalate(ctx, tx, ev); err != nil {
					return 0, res, err
				}
				res.Breaches++
			}
			records = append(records, river.InsertManyParams{Args: recordOnTicket(ev)})
		}
		if err := store.SaveClock(ctx, tx, c); err != nil {
			return 0, res, err
		}
		if a.AfterSweptClock != nil {
			if err := a.AfterSweptClock(i + 1); err != nil {
				return 0, res, fmt.Errorf("app.sweepBatch: %w", err)
			}
		}
	}
	// One insert for the batch's history deliveries keeps a sweep of many
	// warnings at a few round trips.
	if len(records) > 0 {
		if _, err := a.jobs.InsertManyTx(ctx, tx, records); err != nil {
			return 0, res, fmt.Errorf("app.sweepBatch: InsertManyTx: %w", err)
		}
	}
	return len(clocks), res, nil
}

// escalate gives a new breach event the ticket's next escalation level and
// asks routing to escalate at that level. Routing escalates from the
// ticket's assignment current when the job is delivered, so the escalation
// goes to the current team's target, whoever held the ticket at the breach.
func (a *App) escalate(ctx context.Context, tx pgx.Tx, ev domain.ClockEvent) (domain.ClockEvent, error) {
	lvl, err := store.NextEscalationLevel(ctx, tx, ev.TicketID)
	if err != nil {
		return ev, err
	}
	ev.EscalationLevel = lvl
	if err := store.SetEscalationLevel(ctx, tx, ev); err != nil {
		return ev, err
	}
	note := fmt.Sprintf("%s clock (cycle %d) breached, step %d", ev.ClockKind, ev.Cycle, ev.Level)
	args := jobs.EscalateArgs{Tenant: ev.Tenant, TicketID: ev.TicketID, Level: lvl, Note: note}
	if _, err := a.jobs.InsertTx(ctx, tx, args, nil); err != nil {
		return ev, fmt.Errorf("app.escalate: InsertTx: %w", err)
	}
	return ev, nil
}

// recordOnTicket is the job that adds a new warning or breach to the
// ticket's history; the sweep inserts it in the transaction that records
// the event.
func recordOnTicket(ev domain.ClockEvent) jobs.RecordClockEventArgs {
	return jobs.RecordClockEventArgs{Tenant: ev.Tenant, TicketID: ev.TicketID, EventID: ev.EventID, EventKind: ev.Kind,
		ClockKind: ev.ClockKind, Cycle: ev.Cycle, Step: ev.Level, EscalationLevel: ev.EscalationLevel, Deadline: ev.Deadline}
}

// maxSkew is how far this replica's clock may drift from the database's
// before RunSweeps reports it.
const maxSkew = 30 * time.Second

// RunSweeps sweeps every interval until ctx ends. Failures are logged and the
// next tick tries again: a missed tick only delays events, never loses them.
func (a *App) RunSweeps(ctx context.Context, log *slog.Logger, interval time.Duration, batch int) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		res, err := a.Sweep(ctx, 1<<30, batch)
		if err != nil {
			if ctx.Err() == nil {
				log.ErrorContext(ctx, "sla sweep failed", "error", err.Error())
			}
			continue
		}
		if skew := a.Now().Sub(res.Now); skew > maxSkew || skew < -maxSkew {
			log.WarnContext(ctx, "sla replica clock differs from the database's; the sweep uses the database's",
				"skew", skew.String())
		}
		if res.Warnings+res.Breaches > 0 {
			log.InfoContext(ctx, "sla sweep", "warnings", res.Warnings, "breaches", res.Breaches)
		}
	}
}
