// Package outbox records, in the transaction of a ticket change, the work the
// routing, SLA and notification services must do about it (River jobs in schema "ticket",
// through libs/queue), and delivers that work with the workers of each
// peer's queue, whose retries and backoff are libs/queue's. The clients the
// workers call are consumer-defined interfaces; package peers implements
// them over gRPC.
package outbox

import (
	"time"

	"github.com/riverqueue/river"
)

// Queues: one per peer, so a process that only knows one peer's address works
// only that peer's jobs and leaves the rest waiting, never failing them.
// (QueueNotify is in notify.go.)
const (
	QueueRouting = "routing"
	QueueSLA     = "sla"
)

// RouteTicketArgs asks routing to assign a new ticket
// (RoutingInternalService.RouteTicket, idempotent per ticket id).
type RouteTicketArgs struct {
	Tenant   string  `json:"tenant"`
	TicketID string  `json:"ticket_id"`
	Category string  `json:"category"`
	Lat      float64 `json:"lat"`
	Lng      float64 `json:"lng"`
	// CreateTime is when the ticket was created (routing takes the ward in
	// force then); absent from jobs recorded before it was sent.
	CreateTime time.Time `json:"create_time,omitzero"`
	// Status is the ticket's state at its creation, which routing records
	// with the route (RouteTicketRequest.status), so the creation needs no
	// RoutingStatusArgs of its own; nil in jobs recorded before it was
	// sent, whose creation recorded that job.
	Status *RoutingStatusArgs `json:"status,omitempty"`
}

// Kind implements river.JobArgs.
func (RouteTicketArgs) Kind() string { return "ticket.route_ticket" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (RouteTicketArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueueRouting} }

// RoutingStatusArgs tells routing a ticket's status, priority and SLA
// deadlines at a history sequence, the whole of what its queues sort by
// (RoutingInternalService.RecordTicketStatus, ordered by sequence: an
// earlier state delivered late changes nothing).
type RoutingStatusArgs struct {
	Tenant   string `json:"tenant"`
	TicketID string `json:"ticket_id"`
	Status   string `json:"status"`
	Sequence int64  `json:"sequence"`
	// Priority is "" for none (and in jobs recorded before priorities
	// reached routing).
	Priority           string     `json:"priority,omitempty"`
	ResponseDeadline   *time.Time `json:"response_deadline,omitempty"`
	ResolutionDeadline *time.Time `json:"resolution_deadline,omitempty"`
}

// Kind implements river.JobArgs.
func (RoutingStatusArgs) Kind() string { return "ticket.routing_status" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (RoutingStatusArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueueRouting} }

// SLA event kinds, as the contract's TicketEventKind words them.
const (
	EventCreated       = "created"
	EventStatusChanged = "status_changed"
	// EventPriorityChanged: the clocks count against the new priority's
	// targets from the event on.
	EventPriorityChanged = "priority_changed"
	// EventAssigned: reports count the ticket under its new team, or its
	// ward once known; the clocks stay as they are.
	EventAssigned = "assigned"
)

// SLAEventArgs feeds a ticket event to the SLA clocks
// (SlaInternalService.RecordTicketEvent, idempotent per event id).
type SLAEventArgs struct {
	EventID       string    `json:"event_id"`
	Tenant        string    `json:"tenant"`
	TicketID      string    `json:"ticket_id"`
	Category      string    `json:"category"`
	Event         string    `json:"event"`
	From          string    `json:"from,omitempty"`
	To            string    `json:"to"`
	FirstResponse bool      `json:"first_response"`
	OccurTime     time.Time `json:"occur_time"`
	Sequence      int64     `json:"sequence"`
	// Priority is the ticket's priority after the event ("" for none;
	// absent from jobs recorded before priorities existed).
	Priority string `json:"priority,omitempty"`
	// TeamID is the team assigned when the event happened (SLA's reports
	// group by it, taking it from the event of the highest sequence); empty
	// before routing has assigned one.
	TeamID string `json:"team_id,omitempty"`
	// WardCode is the ward the ticket was created in (SLA's reports group
	// by it); empty until routing has told it.
	WardCode string `json:"ward_code,omitempty"`
}

// Kind implements river.JobArgs.
func (SLAEventArgs) Kind() string { return "ticket.sla_event" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (SLAEventArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueueSLA} }
