package delivery

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"google.golang.org/protobuf/types/known/timestamppb"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

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

// KindRecordGBVAccess is the River kind of RecordGBVAccessArgs.
const KindRecordGBVAccess = "routing.record_gbv_access"

// Kind implements river.JobArgs.
func (RecordGBVAccessArgs) Kind() string { return KindRecordGBVAccess }

// AccessArgsFor builds the job args logging disclosure d.
func AccessArgsFor(d domain.Disclosure) RecordGBVAccessArgs {
	return RecordGBVAccessArgs{Tenant: d.Tenant, TicketIDs: d.TicketIDs, Subject: d.Subject, Roles: d.Roles,
		Action: d.Action, EventID: d.EventID, Time: d.Time}
}

// GBVDisclosed enqueues a routing.record_gbv_access job for d in tx: the
// log entry exists exactly when the answer's transaction committed.
func (o *Outbox) GBVDisclosed(ctx context.Context, tx pgx.Tx, d domain.Disclosure) error {
	if _, err := o.client.InsertTx(ctx, tx, AccessArgsFor(d), nil); err != nil {
		return fmt.Errorf("delivery.GBVDisclosed: InsertTx: %w", err)
	}
	return nil
}

// AccessRecorder is what the access-log worker needs from the ticket service.
type AccessRecorder interface {
	RecordGBVAccess(ctx context.Context, args RecordGBVAccessArgs) error
}

// RecordGBVAccess calls TicketInternalService.RecordGbvAccess.
func (c *TicketClient) RecordGBVAccess(ctx context.Context, a RecordGBVAccessArgs) error {
	_, err := c.client.RecordGbvAccess(peers.ForTenant(ctx, a.Tenant), &ticketv1.RecordGbvAccessRequest{
		Tenant: a.Tenant, TicketIds: a.TicketIDs, Subject: a.Subject, Roles: a.Roles, Action: a.Action,
		EventId: a.EventID, AccessTime: timestamppb.New(a.Time),
	})
	if err != nil {
		return fmt.Errorf("delivery.TicketClient: RecordGbvAccess: %w", err)
	}
	return nil
}

// RecordGBVAccessWorker delivers routing.record_gbv_access jobs; a failed
// call returns the error so River retries with backoff.
type RecordGBVAccessWorker struct {
	river.WorkerDefaults[RecordGBVAccessArgs]
	Recorder AccessRecorder
}

// Work implements river.Worker.
func (w *RecordGBVAccessWorker) Work(ctx context.Context, job *river.Job[RecordGBVAccessArgs]) error {
	return w.Recorder.RecordGBVAccess(ctx, job.Args)
}
