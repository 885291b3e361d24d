package outbox

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// Enqueuer records, in the transaction of a clock change, the jobs that
// tell routing and the ticket service about it; package app uses it.
type Enqueuer struct {
	jobs *queue.Client
}

// NewEnqueuer returns an Enqueuer inserting with jobs (NewQueue).
func NewEnqueuer(jobs *queue.Client) *Enqueuer { return &Enqueuer{jobs: jobs} }

// Deadlines records that the ticket service must mirror m.
func (e *Enqueuer) Deadlines(ctx context.Context, tx pgx.Tx, m domain.DeadlineMirror) error {
	args := RecordDeadlinesArgs{Tenant: m.Tenant, TicketID: m.TicketID, Revision: m.Revision}
	if !m.Response.IsZero() {
		args.ResponseDeadline = &m.Response
	}
	if !m.Resolution.IsZero() {
		args.ResolutionDeadline = &m.Resolution
	}
	if err := e.jobs.InsertTx(ctx, tx, args); err != nil {
		return fmt.Errorf("outbox.Deadlines: %w", err)
	}
	return nil
}

// Escalation records that routing must escalate the ticket of breach ev
// at its escalation level.
func (e *Enqueuer) Escalation(ctx context.Context, tx pgx.Tx, ev domain.ClockEvent) error {
	args := EscalateArgs{Tenant: ev.Tenant, TicketID: ev.TicketID, Level: ev.EscalationLevel, Note: ev.EscalationNote()}
	if err := e.jobs.InsertTx(ctx, tx, args); err != nil {
		return fmt.Errorf("outbox.Escalation: %w", err)
	}
	return nil
}

// ClockEvents records that the ticket service must add each new warning
// and breach in evs to its ticket's history, in one insert.
func (e *Enqueuer) ClockEvents(ctx context.Context, tx pgx.Tx, evs ...domain.ClockEvent) error {
	jobs := make([]river.JobArgs, 0, len(evs))
	for _, ev := range evs {
		jobs = append(jobs, RecordClockEventArgs{Tenant: ev.Tenant, TicketID: ev.TicketID, EventID: ev.EventID, EventKind: ev.Kind,
			ClockKind: ev.ClockKind, Cycle: ev.Cycle, Step: ev.Level, EscalationLevel: ev.EscalationLevel, Deadline: ev.Deadline})
	}
	if err := e.jobs.InsertTx(ctx, tx, jobs...); err != nil {
		return fmt.Errorf("outbox.ClockEvents: %w", err)
	}
	return nil
}

// ReportMail records that the notify service must mail a produced file to
// its schedule's recipients.
func (e *Enqueuer) ReportMail(ctx context.Context, tx pgx.Tx, m domain.ReportMail) error {
	args := SendReportArgs{Tenant: m.Tenant, ExportID: m.ExportID, Recipients: m.Recipients, Subject: m.Subject, Body: m.Body,
		FileName: m.FileName, ContentType: m.ContentType, Content: m.Content}
	if err := e.jobs.InsertTx(ctx, tx, args); err != nil {
		return fmt.Errorf("outbox.ReportMail: %w", err)
	}
	return nil
}
