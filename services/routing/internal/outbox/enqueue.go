package outbox

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// Enqueuer records, in the transaction of a change or read, the jobs that
// tell the ticket service about it; package app uses it.
type Enqueuer struct {
	jobs *queue.Client
}

// NewEnqueuer returns an Enqueuer inserting with jobs (NewQueue).
func NewEnqueuer(jobs *queue.Client) *Enqueuer { return &Enqueuer{jobs: jobs} }

// AssignmentChanged records that the ticket service must mirror a, the
// ticket's new current assignment.
func (e *Enqueuer) AssignmentChanged(ctx context.Context, tx pgx.Tx, a domain.Assignment) error {
	err := e.jobs.InsertTx(ctx, tx, RecordAssignmentArgs{
		Tenant: a.Tenant, TicketID: a.TicketID, AssignmentID: a.ID, TeamID: a.TeamID, TeamName: a.TeamName,
		PersonID: a.PersonID, Reason: string(a.Reason), EscalationLevel: a.EscalationLevel, AssignTime: a.CreatedAt,
		WardCode: a.WardCode,
	})
	if err != nil {
		return fmt.Errorf("outbox.AssignmentChanged: %w", err)
	}
	return nil
}

// GBVDisclosed records that the answer d describes carried opened GBV
// notes: the access-log entry exists exactly when the answer's transaction
// committed.
func (e *Enqueuer) GBVDisclosed(ctx context.Context, tx pgx.Tx, d domain.Disclosure) error {
	err := e.jobs.InsertTx(ctx, tx, RecordGBVAccessArgs{Tenant: d.Tenant, TicketIDs: d.TicketIDs, Subject: d.Subject,
		Roles: d.Roles, Action: d.Action, EventID: d.EventID, Time: d.Time})
	if err != nil {
		return fmt.Errorf("outbox.GBVDisclosed: %w", err)
	}
	return nil
}
