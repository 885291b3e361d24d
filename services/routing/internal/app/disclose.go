package app

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// The actions of the GBV access log: the RPCs whose answers hold
// assignments, named as the log names them.
const (
	actionRouteTicket     = "routing.RouteTicket"
	actionEscalateTicket  = "routing.EscalateTicket"
	actionReassignTicket  = "routing.ReassignTicket"
	actionListAssignments = "routing.ListAssignments"
	actionListTeamQueue   = "routing.ListTeamQueue"
	actionListTriageQueue = "routing.ListTriageQueue"
)

// disclose readies assignments for an answer to the caller of scope:
// it opens their sealed notes (the queries leave GBV out for anyone who may
// not read them) and, when any had one, records in tx a disclosure for the
// GBV access log, one per tenant. The answer and its log entry commit
// together, or neither does. Every use case that returns assignments
// passes them through here, and nothing else opens a note.
func (a *App) disclose(ctx context.Context, tx pgx.Tx, scope pg.Scope, action string, as ...*domain.Assignment) error {
	var out []domain.Disclosure
	now := time.Now().UTC()
	for _, asg := range as {
		if asg.SealedNote == nil {
			continue
		}
		if err := store.OpenNote(a.keys, asg); err != nil {
			return err
		}
		i := slices.IndexFunc(out, func(d domain.Disclosure) bool { return d.Tenant == asg.Tenant })
		if i < 0 {
			out = append(out, domain.Disclosure{Tenant: asg.Tenant, Subject: scope.Subject, Roles: scope.Roles,
				Action: action, EventID: uuid.NewString(), Time: now})
			i = len(out) - 1
		}
		if !slices.Contains(out[i].TicketIDs, asg.TicketID) {
			out[i].TicketIDs = append(out[i].TicketIDs, asg.TicketID)
		}
	}
	for _, d := range out {
		if err := a.outbox.GBVDisclosed(ctx, tx, d); err != nil {
			return err
		}
	}
	return nil
}

// onPage leaves out the row a queue read fetches beyond its page (limit
// counts it) only to tell whether more follow: the answer does not carry it,
// so its note stays sealed and it is not logged as read.
func onPage(qs []domain.QueuedTicket, limit int) []domain.QueuedTicket {
	if limit > 0 && len(qs) >= limit {
		return qs[:limit-1]
	}
	return qs
}

// discloseQueue is disclose for the current assignments of queued tickets.
func (a *App) discloseQueue(ctx context.Context, tx pgx.Tx, scope pg.Scope, action string, qs []domain.QueuedTicket) error {
	as := make([]*domain.Assignment, len(qs))
	for i := range qs {
		as[i] = &qs[i].Assignment
	}
	return a.disclose(ctx, tx, scope, action, as...)
}
