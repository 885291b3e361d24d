package app

import (
	"cmp"
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// RecordTicketEvent applies a ticket event of the caller's job (internal
// RPC) to the clocks and the reports once per event id, and returns the
// ticket's clocks; applied is false for a replayed or stale event. A change
// (of status, priority or assignment) for a ticket whose creation has not
// arrived yet fails with FailedPrecondition so the sender retries after the
// created event.
func (a *App) RecordTicketEvent(ctx context.Context, ev domain.TicketEvent) (clocks []domain.Clock, applied bool, err error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, ev)
	if err != nil {
		return nil, false, err
	}
	lock := func(b *pgx.Batch) { store.QueueTicketEventLocks(b, []string{ev.TicketID}) }
	err = pg.InTxReading(ctx, a.pool, c.Scope(), lock, func(tx pgx.Tx) error {
		clocks = nil
		if applied, err = a.recordTicketEvent(ctx, tx, ev, nil); err != nil {
			return err
		}
		clocks, err = store.TicketClocks(ctx, tx, ev.TicketID)
		return err
	})
	if err != nil {
		return nil, false, wrap("RecordTicketEvent", err)
	}
	return clocks, applied, nil
}

// BatchRecordTicketEvents is RecordTicketEvent for many events of the
// caller's job in one transaction (internal RPC): each is applied as it
// would be alone, by ticket and, for one ticket, in order of sequence (so a
// creation comes before the status changes sent with it); the report cells
// move once for the batch, in the order of their keys, at its end. It
// reports, per item, whether it applied.
func (a *App) BatchRecordTicketEvents(ctx context.Context, b access.Batch[domain.TicketEvent]) ([]bool, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, b)
	if err != nil {
		return nil, err
	}
	order := b.Order(func(x, y domain.TicketEvent) int {
		return cmp.Or(strings.Compare(x.TicketID, y.TicketID), cmp.Compare(x.Sequence, y.Sequence))
	})
	applied := make([]bool, len(b.Items))
	ids := make([]string, len(b.Items))
	for i, ev := range b.Items {
		ids[i] = ev.TicketID
	}
	// The batch's tickets are locked with its BEGIN: a ticket's creation
	// recorded by another batch at the same time commits first.
	lock := func(batch *pgx.Batch) { store.QueueTicketEventLocks(batch, ids) }
	err = pg.InTxReading(ctx, a.pool, c.Scope(), lock, func(tx pgx.Tx) error {
		cells := domain.CellChanges{}
		for _, i := range order {
			if applied[i], err = a.recordTicketEvent(ctx, tx, b.Items[i], cells); err != nil {
				return err
			}
		}
		return store.ApplyDeltas(ctx, tx, cells.Deltas())
	})
	if err != nil {
		return nil, wrap("BatchRecordTicketEvents", err)
	}
	return applied, nil
}

// recordTicketEvent applies ev in tx once per event id; with cells, the
// report cells' changes are gathered there (refreshReport).
func (a *App) recordTicketEvent(ctx context.Context, tx pgx.Tx, ev domain.TicketEvent, cells domain.CellChanges) (bool, error) {
	fresh, err := store.MarkEventProcessed(ctx, tx, ev)
	if err != nil || !fresh {
		return false, err
	}
	switch ev.Kind {
	case domain.EventCreated:
		return a.startClocks(ctx, tx, ev, cells)
	case domain.EventPriorityChanged:
		return a.changePriority(ctx, tx, ev, cells)
	case domain.EventAssigned:
		return a.assign(ctx, tx, ev, cells)
	default:
		return a.changeStatus(ctx, tx, ev, cells)
	}
}

// startClocks starts a new ticket's clocks under the policy in force.
func (a *App) startClocks(ctx context.Context, tx pgx.Tx, ev domain.TicketEvent, cells domain.CellChanges) (bool, error) {
	fresh, err := store.InsertTicket(ctx, tx, domain.TicketState{TicketID: ev.TicketID, Tenant: ev.Tenant,
		Category: ev.Category, Status: word.StatusOpen, LastSequence: ev.Sequence,
		WardCode: ev.WardCode, TeamID: ev.TeamID, TeamSequence: ev.Sequence, Priority: ev.Priority})
	if err != nil || !fresh {
		// Not fresh: created twice under different event ids, the clocks
		// already run.
		return false, err
	}
	p, err := resolvePolicy(ctx, tx, ev.Tenant, ev.Category, ev.Priority)
	if err != nil {
		return false, err
	}
	cals, err := clockCalendars(ctx, tx, p)
	if err != nil {
		return false, err
	}
	if err := store.SaveClocks(ctx, tx, domain.StartClocks(ev, p, cals)); err != nil {
		return false, err
	}
	if err := a.mirrorDeadlines(ctx, tx, ev.Tenant, ev.TicketID); err != nil {
		return false, err
	}
	// Last: the day's report cells are shared by the day's tickets, so
	// their row locks are held for as short a time as the transaction allows.
	return true, a.refreshReport(ctx, tx, ev.TicketID, cells)
}

// changeStatus applies a status change to the ticket's clocks, in order of
// sequence: an older one than the last applied is ignored.
func (a *App) changeStatus(ctx context.Context, tx pgx.Tx, ev domain.TicketEvent, cells domain.CellChanges) (bool, error) {
	t, err := store.LockTicket(ctx, tx, ev.TicketID)
	if err != nil {
		return false, err
	}
	if t.Tenant != ev.Tenant {
		return false, domain.ErrOtherTenant
	}
	if ev.Sequence != 0 && ev.Sequence <= t.LastSequence {
		return false, nil // older than what we applied: ignore
	}
	clocks, err := store.LockTicketClocks(ctx, tx, ev.TicketID)
	if err != nil {
		return false, err
	}
	p, err := resolvePolicy(ctx, tx, t.Tenant, t.Category, t.Priority)
	if err != nil {
		return false, err
	}
	cals, err := clockCalendars(ctx, tx, p, clocks...)
	if err != nil {
		return false, err
	}
	ev.Tenant, ev.Category = t.Tenant, t.Category
	changed := domain.ApplyStatusChange(clocks, ev, p, cals)
	if err := store.SaveClocks(ctx, tx, changed); err != nil {
		return false, err
	}
	if err := store.UpdateTicketStatus(ctx, tx, ev.TicketID, ev.To, ev.Sequence); err != nil {
		return false, err
	}
	if dims, changed := t.WithDimensions(ev); changed {
		if err := store.UpdateTicketDimensions(ctx, tx, dims); err != nil {
			return false, err
		}
	}
	if len(changed) > 0 {
		if err := a.mirrorDeadlines(ctx, tx, t.Tenant, ev.TicketID); err != nil {
			return false, err
		}
	}
	// The report row follows every applied event, last (as in
	// startClocks): the status (cancelled, resolved) and the dimensions
	// count even when no clock changed.
	return true, a.refreshReport(ctx, tx, ev.TicketID, cells)
}

// assign records the ticket's team and ward an assigned event carries, in
// the team's own order (TicketState.WithDimensions), and moves its report
// row, and the daily cells it counts in, to them; the clocks are left as
// they are. A stale or repeated assignment changes nothing.
func (a *App) assign(ctx context.Context, tx pgx.Tx, ev domain.TicketEvent, cells domain.CellChanges) (bool, error) {
	t, err := store.LockTicket(ctx, tx, ev.TicketID)
	if err != nil {
		return false, err
	}
	if t.Tenant != ev.Tenant {
		return false, domain.ErrOtherTenant
	}
	dims, changed := t.WithDimensions(ev)
	if !changed {
		return false, nil
	}
	if err := store.UpdateTicketDimensions(ctx, tx, dims); err != nil {
		return false, err
	}
	return true, a.refreshReport(ctx, tx, ev.TicketID, cells)
}

// changePriority measures the ticket's open clocks against the policy of
// its new priority from the event on, keeping the working time each had
// counted (Clock.ChangePriority), in order of sequence like a status
// change; the ticket remembers the priority for the next rule change and
// reopen.
func (a *App) changePriority(ctx context.Context, tx pgx.Tx, ev domain.TicketEvent, cells domain.CellChanges) (bool, error) {
	t, err := store.LockTicket(ctx, tx, ev.TicketID)
	if err != nil {
		return false, err
	}
	if t.Tenant != ev.Tenant {
		return false, domain.ErrOtherTenant
	}
	if ev.Sequence != 0 && ev.Sequence <= t.LastSequence {
		return false, nil
	}
	clocks, err := store.LockTicketClocks(ctx, tx, ev.TicketID)
	if err != nil {
		return false, err
	}
	p, err := resolvePolicy(ctx, tx, t.Tenant, t.Category, ev.Priority)
	if err != nil {
		return false, err
	}
	cals, err := clockCalendars(ctx, tx, p, clocks...)
	if err != nil {
		return false, err
	}
	var changed []domain.Clock
	for _, c := range clocks {
		if c.ChangePriority(ev.Priority, ev.At, p, cals.Of(c.Calendar()), cals.Of(p.CalendarRef())) {
			changed = append(changed, c)
		}
	}
	if err := store.SaveClocks(ctx, tx, changed); err != nil {
		return false, err
	}
	if err := store.UpdateTicketPriority(ctx, tx, ev.TicketID, ev.Priority, ev.Sequence); err != nil {
		return false, err
	}
	if len(changed) > 0 {
		if err := a.mirrorDeadlines(ctx, tx, t.Tenant, ev.TicketID); err != nil {
			return false, err
		}
	}
	// Reports group by priority: the row and its cells follow, last.
	return true, a.refreshReport(ctx, tx, ev.TicketID, cells)
}
