package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// Enqueuer records, in the transaction of a ticket change, the jobs that
// tell routing, SLA and the notification service about it; package app
// uses it.
type Enqueuer struct {
	jobs *queue.Client
	keys *seal.Keyring
}

// NewEnqueuer returns an Enqueuer inserting with jobs (NewQueue), sealing
// reporters' contacts with keys.
func NewEnqueuer(jobs *queue.Client, keys *seal.Keyring) *Enqueuer {
	return &Enqueuer{jobs: jobs, keys: keys}
}

// TicketCreated records that routing must route t and learn its status
// and priority (one job: the route carries them), SLA must start its
// clocks and the notification service must hear of n, its created notice,
// in one insert; h is the `created` history entry whose event id keys the
// SLA event.
func (e *Enqueuer) TicketCreated(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry, n domain.Notice) error {
	notice, err := e.notifyArgs(n)
	if err != nil {
		return fmt.Errorf("outbox.TicketCreated: %w", err)
	}
	status := routingStatus(t, h)
	err = e.jobs.InsertTx(ctx, tx,
		RouteTicketArgs{Tenant: t.Tenant, TicketID: t.ID, Category: string(t.Category), Lat: t.Location.Lat, Lng: t.Location.Lng,
			CreateTime: t.CreateTime, Status: &status},
		slaEvent(t, h, EventCreated), notice)
	if err != nil {
		return fmt.Errorf("outbox.TicketCreated: %w", err)
	}
	return nil
}

// StatusChanged records that SLA and routing must learn t's new status.
func (e *Enqueuer) StatusChanged(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error {
	err := e.jobs.InsertTx(ctx, tx, slaEvent(t, h, EventStatusChanged), routingStatus(t, h))
	if err != nil {
		return fmt.Errorf("outbox.StatusChanged: %w", err)
	}
	return nil
}

// PriorityChanged records that SLA must measure t's open clocks against
// its new priority from h (the `priority_changed` entry) on, and that
// routing's queues must sort t by it.
func (e *Enqueuer) PriorityChanged(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error {
	ev := slaEvent(t, h, EventPriorityChanged)
	ev.To = string(t.Status)
	if err := e.jobs.InsertTx(ctx, tx, ev, routingStatus(t, h)); err != nil {
		return fmt.Errorf("outbox.PriorityChanged: %w", err)
	}
	return nil
}

// Assigned records that SLA must count t under a's team, and the ward t
// was created in, from h (a's `assigned` or `escalated` entry) on. The
// ticket was created before routing assigned it, so the assignment is an
// event of its own, ordered by h's sequence apart from the status changes.
// It carries no priority: that follows the status order.
func (e *Enqueuer) Assigned(ctx context.Context, tx pgx.Tx, t domain.Ticket, a domain.Assignment, h domain.HistoryEntry) error {
	ev := slaEvent(t, h, EventAssigned)
	ev.From, ev.To, ev.FirstResponse, ev.Priority, ev.TeamID = "", "", false, "", a.TeamID
	if err := e.jobs.InsertTx(ctx, tx, ev); err != nil {
		return fmt.Errorf("outbox.Assigned: %w", err)
	}
	return nil
}

// DeadlinesChanged records that routing's queues must sort t by its new
// SLA deadlines, recorded with h (the `deadlines_set` entry).
func (e *Enqueuer) DeadlinesChanged(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error {
	if err := e.jobs.InsertTx(ctx, tx, routingStatus(t, h)); err != nil {
		return fmt.Errorf("outbox.DeadlinesChanged: %w", err)
	}
	return nil
}

// WardKnown records that SLA must count t under the ward it was created
// in, told by an assignment older than the one recorded (which Assigned
// did not send): an assigned event under a new event id eventID at at,
// without a team, so it changes no team whatever its order.
func (e *Enqueuer) WardKnown(ctx context.Context, tx pgx.Tx, t domain.Ticket, eventID string, at time.Time) error {
	err := e.jobs.InsertTx(ctx, tx, SLAEventArgs{EventID: eventID, Tenant: t.Tenant, TicketID: t.ID,
		Category: string(t.Category), Event: EventAssigned, OccurTime: at, WardCode: t.WardCode})
	if err != nil {
		return fmt.Errorf("outbox.WardKnown: %w", err)
	}
	return nil
}

// routingStatus is t's state as routing's queues read it, at h's
// sequence; its status is h's when h changed it.
func routingStatus(t domain.Ticket, h domain.HistoryEntry) RoutingStatusArgs {
	status := t.Status
	if h.To != "" {
		status = h.To
	}
	return RoutingStatusArgs{Tenant: t.Tenant, TicketID: t.ID, Status: string(status), Sequence: h.Sequence,
		Priority: string(t.Priority), ResponseDeadline: t.ResponseDeadline, ResolutionDeadline: t.ResolutionDeadline}
}

func slaEvent(t domain.Ticket, h domain.HistoryEntry, event string) SLAEventArgs {
	return SLAEventArgs{
		EventID: h.EventID, Tenant: t.Tenant, TicketID: t.ID, Category: string(t.Category), Event: event,
		From: string(h.From), To: string(h.To), FirstResponse: h.Detail == domain.DetailFirstResponse,
		OccurTime: h.CreateTime, Sequence: h.Sequence, Priority: string(t.Priority),
		TeamID: t.AssignedTeamID, WardCode: t.WardCode,
	}
}
