package app

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// sweeper is the sweep's caller: the process's own work across every
// municipality, whoever asked for it.
var sweeper = access.System("sla-sweep")

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
		err := a.inTx(ctx, sweeper.Scope(), func(tx pgx.Tx) error {
			now, err := a.now(ctx, tx)
			if err != nil {
				return err
			}
			got, res, err = a.sweepBatch(ctx, tx, now, n)
			res.Now = now
			return err
		})
		if err != nil {
			return total, wrap("Sweep", err)
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

// sweepBatch records what is due now of up to n clocks, in tx.
func (a *App) sweepBatch(ctx context.Context, tx pgx.Tx, now time.Time, n int) (int, SweepResult, error) {
	var res SweepResult
	clocks, err := store.LockDueClocks(ctx, tx, now, n)
	if err != nil {
		return 0, res, err
	}
	cals, err := loadCalendars(ctx, tx, domain.CalendarRefs(clocks...)...)
	if err != nil {
		return 0, res, err
	}
	var recorded []domain.ClockEvent
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
			recorded = append(recorded, ev)
		}
		if err := store.SaveClock(ctx, tx, c); err != nil {
			return 0, res, err
		}
		if err := a.refreshReport(ctx, tx, c.TicketID, nil); err != nil {
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
	if len(recorded) > 0 {
		if err := a.jobs.ClockEvents(ctx, tx, recorded...); err != nil {
			return 0, res, err
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
	return ev, a.jobs.Escalation(ctx, tx, ev)
}
