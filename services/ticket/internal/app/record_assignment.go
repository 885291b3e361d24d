package app

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
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
	applied := false
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		applied, err = a.recordAssignment(ctx, tx, as)
		return err
	})
	return applied, wrap("RecordAssignment", err)
}

// BatchRecordAssignments is RecordAssignment for many assignments of the
// caller's job in one transaction (internal RPC): each is applied as it
// would be alone, in the order of their tickets (byTicket); it reports, per
// item, whether it applied.
func (a *App) BatchRecordAssignments(ctx context.Context, b access.Batch[*domain.Assignment]) ([]bool, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, b)
	if err != nil {
		return nil, err
	}
	applied := make([]bool, len(b.Items))
	order := byTicket(len(b.Items), func(i int) string { return b.Items[i].TicketID })
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		for _, i := range order {
			if applied[i], err = a.recordAssignment(ctx, tx, *b.Items[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap("BatchRecordAssignments", err)
	}
	return applied, nil
}

// recordAssignment applies as in tx.
func (a *App) recordAssignment(ctx context.Context, tx pgx.Tx, as domain.Assignment) (bool, error) {
	t, m, err := a.store.LockForService(ctx, tx, as.Tenant, as.TicketID)
	if err != nil {
		return false, err
	}
	// The ward is the ticket's whatever the order the assignments
	// arrive in: a routing assignment overtaken by an escalation still
	// tells it.
	ward := as.TellsWard(t)
	if !as.Supersedes(m.AssignmentID, m.AssignTime) {
		if !ward {
			return false, nil
		}
		if err := a.store.SetWard(ctx, tx, as.TicketID, as.WardCode); err != nil {
			return false, err
		}
		t.WardCode = as.WardCode
		return false, a.jobs.WardKnown(ctx, tx, t, uuid.NewString(), a.timestamp())
	}
	if ward {
		t.WardCode = as.WardCode
	}
	// The ward, the assignment and the history's sequence in one update.
	h, err := a.store.SetAssignmentWithHistory(ctx, tx, t, as, ward, a.systemEntry(as.Entry()))
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
