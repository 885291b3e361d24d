package peers

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/sla/internal/outbox"
)

// Ticket calls TicketInternalService.
type Ticket struct {
	c ticketv1.TicketInternalServiceClient
}

// NewTicket returns the ticket adapter over conn (dialed with libs/peers).
func NewTicket(conn grpc.ClientConnInterface) *Ticket {
	return &Ticket{c: ticketv1.NewTicketInternalServiceClient(conn)}
}

// RecordDeadlines implements outbox.TicketClient.
func (t *Ticket) RecordDeadlines(ctx context.Context, a outbox.RecordDeadlinesArgs) error {
	if _, err := t.c.RecordDeadlines(libpeers.ForTenant(ctx, a.Tenant), deadlines(a)); err != nil {
		return fmt.Errorf("peers.RecordDeadlines: %w", err)
	}
	return nil
}

// deadlines is the request of a.
func deadlines(a outbox.RecordDeadlinesArgs) *ticketv1.RecordDeadlinesRequest {
	return &ticketv1.RecordDeadlinesRequest{Tenant: a.Tenant, TicketId: a.TicketID,
		Revision: a.Revision, ResponseDeadline: timestamp(a.ResponseDeadline), ResolutionDeadline: timestamp(a.ResolutionDeadline)}
}

// BatchRecordDeadlines implements outbox.TicketClient.
func (t *Ticket) BatchRecordDeadlines(ctx context.Context, tenant string, as []outbox.RecordDeadlinesArgs) error {
	req := &ticketv1.BatchRecordDeadlinesRequest{Tenant: tenant}
	for _, a := range as {
		req.Requests = append(req.Requests, deadlines(a))
	}
	if _, err := t.c.BatchRecordDeadlines(libpeers.ForTenant(ctx, tenant), req); err != nil {
		return fmt.Errorf("peers.BatchRecordDeadlines: %d items: %w", len(as), err)
	}
	return nil
}

// RecordClockEvent implements outbox.TicketClient.
func (t *Ticket) RecordClockEvent(ctx context.Context, a outbox.RecordClockEventArgs) error {
	_, err := t.c.RecordClockEvent(libpeers.ForTenant(ctx, a.Tenant), &ticketv1.RecordClockEventRequest{Tenant: a.Tenant, TicketId: a.TicketID,
		EventId: a.EventID, Kind: vocab.MustParse[ticketv1.SlaEventKind](a.EventKind), Clock: vocab.MustParse[ticketv1.SlaClock](a.ClockKind),
		Cycle: int32(a.Cycle), Step: int32(a.Step), EscalationLevel: int32(a.EscalationLevel), Deadline: timestamppb.New(a.Deadline)})
	if err != nil {
		return fmt.Errorf("peers.RecordClockEvent: %w", err)
	}
	return nil
}

// timestamp is t, or unset for none.
func timestamp(t *time.Time) *timestamppb.Timestamp {
	if t == nil {
		return nil
	}
	return timestamppb.New(*t)
}
