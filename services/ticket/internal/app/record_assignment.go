package app

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// RecordAssignment mirrors routing's current assignment of a ticket of the
// caller's job (internal RPC), unless it is the one already recorded or
// older than it, with its history entry, the notice of it and the SLA
// event that moves the ticket in the reports, and the ward the ticket was
// created in when it has none yet; it reports whether the assignment
// applied.
func (a *App) RecordAssignment(ctx context.Context, as domain.Assignment) (bool, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, &as)
	if err != nil {
		return false, err
	}
	var applied []bool
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		applied, err = a.recordAssignments(ctx, tx, access.Batch[*domain.Assignment]{Tenant: as.Tenant, Items: []*domain.Assignment{&as}})
		return err
	})
	if err != nil {
		return false, wrap("RecordAssignment", err)
	}
	return applied[0], nil
}

// BatchRecordAssignments is RecordAssignment for many assignments of the
// caller's job in one transaction (internal RPC): each is applied as it
// would be alone, in the order of their tickets (Batch.Order); it reports, per
// item, whether it applied.
func (a *App) BatchRecordAssignments(ctx context.Context, b access.Batch[*domain.Assignment]) ([]bool, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, b)
	if err != nil {
		return nil, err
	}
	var applied []bool
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		applied, err = a.recordAssignments(ctx, tx, b)
		return err
	})
	if err != nil {
		return nil, wrap("BatchRecordAssignments", err)
	}
	return applied, nil
}

// recordAssignments applies b's assignments in tx, in the order of their
// tickets (Batch.Order), at the cost of a few round trips for all of them: one statement locks every ticket, the writes go out together
// (store.ServiceWrites) and the jobs with the commit (queue.InsertTx). It
// reports, per item, whether it applied.
func (a *App) recordAssignments(ctx context.Context, tx pgx.Tx, b access.Batch[*domain.Assignment]) ([]bool, error) {
	items := b.Items
	order := b.Order(func(x, y *domain.Assignment) int { return strings.Compare(x.TicketID, y.TicketID) })
	locked, err := a.store.LockManyForService(ctx, tx, b.Tenant, ticketIDs(order, func(i int) string { return items[i].TicketID }))
	if err != nil {
		return nil, err
	}
	w := a.store.NewServiceWrites()
	applied := make([]bool, len(items))
	for _, i := range order {
		l, ok := locked[items[i].TicketID]
		if !ok {
			return nil, domain.ErrTicketNotFound
		}
		if applied[i], err = a.recordAssignment(ctx, tx, w, l, *items[i]); err != nil {
			return nil, err
		}
	}
	return applied, w.Send(ctx, tx)
}

// recordAssignment queues as, an assignment of l's ticket, on w.
func (a *App) recordAssignment(ctx context.Context, tx pgx.Tx, w *store.ServiceWrites, l *store.Locked, as domain.Assignment) (bool, error) {
	// The ward is the ticket's whatever the order the assignments
	// arrive in: a routing assignment overtaken by an escalation still
	// tells it.
	ward := as.TellsWard(l.Ticket)
	if !as.Supersedes(l.Mirror.AssignmentID, l.Mirror.AssignTime) {
		if !ward {
			return false, nil
		}
		w.SetWard(l, as.WardCode)
		return false, a.jobs.WardKnown(ctx, tx, l.Ticket, uuid.NewString(), a.timestamp())
	}
	// The ticket as the assignment finds it, with the ward it tells.
	t := l.Ticket
	if ward {
		t.WardCode = as.WardCode
	}
	// The ward, the assignment and the history's sequence in one update.
	h, err := w.SetAssignmentWithHistory(l, as, ward, a.systemEntry(as.Entry()))
	if err != nil {
		return false, err
	}
	if err := a.jobs.Assigned(ctx, tx, t, as, h); err != nil {
		return false, err
	}
	return true, a.jobs.Notify(ctx, tx, as.Notice(t, h))
}

// appendSystem appends h to t's history as a change made by another
// service (actor `system`), under a new event id unless h names one, and
// returns it as written.
func (a *App) appendSystem(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) (domain.HistoryEntry, error) {
	return a.store.AppendHistory(ctx, tx, t, a.systemEntry(h))
}

// systemEntry is h as a change made by another service (actor `system`)
// now, under a new event id unless h names one.
func (a *App) systemEntry(h domain.HistoryEntry) domain.HistoryEntry {
	h.Actor, h.CreateTime = domain.ActorSystem, a.timestamp()
	if h.EventID == "" {
		h.EventID = uuid.NewString()
	}
	return h
}
