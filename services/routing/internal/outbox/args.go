// Package outbox records, in the transaction of a change or read, the work
// the ticket service must do about it (River jobs in schema "routing",
// through libs/queue), and delivers that work with the workers of the
// ticket queue, whose retries and backoff are libs/queue's. The client the
// workers call is a consumer-defined interface; package peers implements it
// over gRPC.
package outbox

import (
	"time"

	"github.com/riverqueue/river"
)

// QueueTicket is the queue of the jobs the ticket service works: a process
// without the ticket service's address leaves them waiting, never failing.
const QueueTicket = "ticket"

// queueLegacy is River's default queue, where versions before QueueTicket
// put their jobs: a process that works QueueTicket works it too, so jobs
// recorded before an upgrade (or by a replica not yet upgraded) are
// delivered, not stranded.
const queueLegacy = river.QueueDefault

// RecordAssignmentArgs tells the ticket service about a new current
// assignment (TicketInternalService.RecordAssignment). The ticket service
// ignores an assignment it already has or an older one, so redelivery is
// safe.
type RecordAssignmentArgs struct {
	Tenant          string    `json:"tenant"`
	TicketID        string    `json:"ticket_id"`
	AssignmentID    string    `json:"assignment_id"`
	TeamID          string    `json:"team_id"`
	TeamName        string    `json:"team_name"`
	PersonID        string    `json:"person_id"`
	Reason          string    `json:"reason"`
	EscalationLevel int32     `json:"escalation_level"`
	AssignTime      time.Time `json:"assign_time"`
	// WardCode is the ward of the ticket's location when it was routed
	// (routing assignments only; the ticket keeps the first it is told).
	WardCode string `json:"ward_code,omitempty"`
}

// Kind implements river.JobArgs.
func (RecordAssignmentArgs) Kind() string { return "routing.record_assignment" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (RecordAssignmentArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueTicket}
}

// RecordGBVAccessArgs tells the ticket service that an answer of routing
// carried opened GBV notes, for the platform's GBV access log
// (TicketInternalService.RecordGbvAccess). It holds ids, never content;
// the ticket service logs each event id once, so redelivery is safe.
type RecordGBVAccessArgs struct {
	Tenant    string    `json:"tenant"`
	TicketIDs []string  `json:"ticket_ids"`
	Subject   string    `json:"subject"`
	Roles     []string  `json:"roles"`
	Action    string    `json:"action"`
	EventID   string    `json:"event_id"`
	Time      time.Time `json:"access_time"`
}

// Kind implements river.JobArgs.
func (RecordGBVAccessArgs) Kind() string { return "routing.record_gbv_access" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (RecordGBVAccessArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueueTicket} }
