// Package delivery carries the routing service's effects on other services:
// River jobs inserted in the same transaction as the change, and the
// workers that deliver them over gRPC.
package delivery

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

// RecordAssignmentArgs tells the ticket service about a new current
// assignment (TicketInternalService.RecordAssignment). The ticket service
// ignores an assignment it already has or an older one, so redelivery is safe.
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
}

// KindRecordAssignment is the River kind of RecordAssignmentArgs.
const KindRecordAssignment = "routing.record_assignment"

// Kind implements river.JobArgs.
func (RecordAssignmentArgs) Kind() string { return KindRecordAssignment }

// ArgsFor builds the job args announcing assignment a.
func ArgsFor(a domain.Assignment) RecordAssignmentArgs {
	return RecordAssignmentArgs{
		Tenant: a.Tenant, TicketID: a.TicketID, AssignmentID: a.ID, TeamID: a.TeamID, TeamName: a.TeamName,
		PersonID: a.PersonID, Reason: string(a.Reason), EscalationLevel: a.EscalationLevel, AssignTime: a.CreatedAt,
	}
}

// Outbox enqueues delivery jobs inside the caller's transaction, so a job
// exists exactly when the change it announces was committed.
type Outbox struct {
	client *river.Client[pgx.Tx]
}

// NewOutbox wraps a River client (insert-only or working).
func NewOutbox(client *river.Client[pgx.Tx]) *Outbox { return &Outbox{client: client} }

// AssignmentChanged enqueues a routing.record_assignment job for a in tx.
func (o *Outbox) AssignmentChanged(ctx context.Context, tx pgx.Tx, a domain.Assignment) error {
	if _, err := o.client.InsertTx(ctx, tx, ArgsFor(a), nil); err != nil {
		return fmt.Errorf("delivery.AssignmentChanged: InsertTx: %w", err)
	}
	return nil
}
