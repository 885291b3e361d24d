package delivery

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/queue"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/vocab"
)

// AssignmentRecorder is what the worker needs from the ticket service.
type AssignmentRecorder interface {
	RecordAssignment(ctx context.Context, args RecordAssignmentArgs) error
}

// TicketClient adapts the generated TicketInternalService client.
type TicketClient struct {
	client ticketv1.TicketInternalServiceClient
}

// NewTicketClient wraps a connection to the ticket service dialed with
// libs/peers, so each call carries a service token for its job's tenant.
func NewTicketClient(conn grpc.ClientConnInterface) *TicketClient {
	return &TicketClient{client: ticketv1.NewTicketInternalServiceClient(conn)}
}

// RecordAssignment calls TicketInternalService.RecordAssignment.
func (c *TicketClient) RecordAssignment(ctx context.Context, a RecordAssignmentArgs) error {
	_, err := c.client.RecordAssignment(peers.ForTenant(ctx, a.Tenant), &ticketv1.RecordAssignmentRequest{
		Tenant: a.Tenant, TicketId: a.TicketID, AssignmentId: a.AssignmentID, TeamId: a.TeamID,
		TeamName: a.TeamName, PersonId: a.PersonID, Reason: vocab.MustParse[commonv1.AssignmentReason](a.Reason), EscalationLevel: a.EscalationLevel,
		AssignTime: timestamppb.New(a.AssignTime),
	})
	if err != nil {
		return fmt.Errorf("delivery.TicketClient: RecordAssignment: %w", err)
	}
	return nil
}

// RecordAssignmentWorker delivers routing.record_assignment jobs; a failed
// call returns the error so River retries with backoff.
type RecordAssignmentWorker struct {
	river.WorkerDefaults[RecordAssignmentArgs]
	Recorder AssignmentRecorder
}

// Work implements river.Worker.
func (w *RecordAssignmentWorker) Work(ctx context.Context, job *river.Job[RecordAssignmentArgs]) error {
	return w.Recorder.RecordAssignment(ctx, job.Args)
}

// Ticket is what the workers need from the ticket service.
type Ticket interface {
	AssignmentRecorder
	AccessRecorder
}

// NewRiverClient builds the River client on the routing schema. With a nil
// ticket it only inserts jobs (no peer configured: jobs wait in the table
// until a process with TICKET_ADDR works them); otherwise it registers the
// workers and is ready to Start.
func NewRiverClient(pool *pgxpool.Pool, schema string, ticket Ticket, logger *slog.Logger) (*river.Client[pgx.Tx], error) {
	cfg := &river.Config{Schema: schema, Logger: logger}
	if ticket != nil {
		workers := river.NewWorkers()
		river.AddWorker(workers, &RecordAssignmentWorker{Recorder: ticket})
		river.AddWorker(workers, &RecordGBVAccessWorker{Recorder: ticket})
		cfg.Workers = workers
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: queue.MaxWorkers}}
	}
	c, err := river.NewClient(riverpgxv5.New(pool), queue.Configure(cfg))
	if err != nil {
		return nil, fmt.Errorf("delivery.NewRiverClient: %w", err)
	}
	return c, nil
}
