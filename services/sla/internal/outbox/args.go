// Package outbox records, in the transaction of a clock change, what the
// routing and ticket services must learn about it, and in that of a
// produced report the notify service's mail of it (River jobs in schema
// "sla", through libs/queue), and delivers that work with the workers of
// each peer's queue, whose retries and backoff are libs/queue's. A
// committed change is therefore always delivered and a rolled-back one
// never is. The clients the workers call are consumer-defined interfaces;
// package peers implements them over gRPC.
package outbox

import (
	"time"

	"github.com/riverqueue/river"
)

// Queues: one per peer, so a replica only works the jobs of peers it can reach.
const (
	// QueueRouting holds jobs for the routing service (ROUTING_ADDR).
	QueueRouting = "routing"
	// QueueTicket holds jobs for the ticket service (TICKET_ADDR).
	QueueTicket = "ticket"
)

// EscalateArgs asks routing to escalate a ticket after a breach
// (RoutingInternalService.EscalateTicket, reason SLA_BREACH).
type EscalateArgs struct {
	Tenant   string `json:"tenant" river:"unique"`
	TicketID string `json:"ticket_id" river:"unique"`
	Level    int    `json:"level" river:"unique"`
	Note     string `json:"note"`
}

// Kind implements river.JobArgs.
func (EscalateArgs) Kind() string { return "sla.escalate" }

// InsertOpts makes (ticket, level) unique among River's jobs too: a second
// guard behind the clock_events key. Attempts are libs/queue's (retry for
// days): an escalation must outlast any outage of routing.
func (EscalateArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueRouting, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// RecordDeadlinesArgs mirrors a ticket's deadlines to the ticket service
// (TicketInternalService.RecordDeadlines); Revision orders the updates.
type RecordDeadlinesArgs struct {
	Tenant             string     `json:"tenant"`
	TicketID           string     `json:"ticket_id"`
	ResponseDeadline   *time.Time `json:"response_deadline,omitempty"`
	ResolutionDeadline *time.Time `json:"resolution_deadline,omitempty"`
	Revision           int64      `json:"revision"`
}

// Kind implements river.JobArgs.
func (RecordDeadlinesArgs) Kind() string { return "sla.record_deadlines" }

// InsertOpts routes the job to the ticket queue; attempts are libs/queue's.
func (RecordDeadlinesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueTicket}
}

// RecordClockEventArgs adds a warning or breach to the ticket's history
// (TicketInternalService.RecordClockEvent, idempotent per EventID).
type RecordClockEventArgs struct {
	Tenant          string    `json:"tenant"`
	TicketID        string    `json:"ticket_id"`
	EventID         string    `json:"event_id"`
	EventKind       string    `json:"event_kind"`
	ClockKind       string    `json:"clock_kind"`
	Cycle           int       `json:"cycle"`
	Step            int       `json:"step"`
	EscalationLevel int       `json:"escalation_level"`
	Deadline        time.Time `json:"deadline"`
}

// Kind implements river.JobArgs.
func (RecordClockEventArgs) Kind() string { return "sla.record_clock_event" }

// InsertOpts routes the job to the ticket queue; attempts are libs/queue's.
func (RecordClockEventArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueTicket}
}
