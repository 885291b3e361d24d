package peers

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/outbox"
)

// SLA calls SlaInternalService.
type SLA struct {
	c slav1.SlaInternalServiceClient
}

// NewSLA returns the SLA adapter over conn (dialed with libs/peers).
func NewSLA(conn grpc.ClientConnInterface) *SLA {
	return &SLA{c: slav1.NewSlaInternalServiceClient(conn)}
}

// RecordTicketEvent implements outbox.SLAClient.
func (s *SLA) RecordTicketEvent(ctx context.Context, a outbox.SLAEventArgs) error {
	if _, err := s.c.RecordTicketEvent(libpeers.ForTenant(ctx, a.Tenant), ticketEvent(a)); err != nil {
		return fmt.Errorf("peers.RecordTicketEvent: %w", err)
	}
	return nil
}

// BatchRecordTicketEvents implements outbox.SLAClient.
func (s *SLA) BatchRecordTicketEvents(ctx context.Context, tenant string, as []outbox.SLAEventArgs) error {
	req := &slav1.BatchRecordTicketEventsRequest{Tenant: tenant}
	for _, a := range as {
		req.Requests = append(req.Requests, ticketEvent(a))
	}
	if _, err := s.c.BatchRecordTicketEvents(libpeers.ForTenant(ctx, tenant), req); err != nil {
		return fmt.Errorf("peers.BatchRecordTicketEvents: %d items: %w", len(as), err)
	}
	return nil
}

// ticketEvent is the request of a.
func ticketEvent(a outbox.SLAEventArgs) *slav1.RecordTicketEventRequest {
	return &slav1.RecordTicketEventRequest{
		EventId: a.EventID, Tenant: a.Tenant, TicketId: a.TicketID, Category: vocab.MustParse[commonv1.Category](a.Category),
		Kind: vocab.MustParse[slav1.TicketEventKind](a.Event), FromStatus: vocab.MustParse[commonv1.TicketStatus](a.From),
		ToStatus: vocab.MustParse[commonv1.TicketStatus](a.To), FirstResponse: a.FirstResponse,
		OccurTime: timestamppb.New(a.OccurTime), Sequence: a.Sequence, Priority: vocab.MustParse[commonv1.Priority](a.Priority),
		TeamId: a.TeamID, WardCode: a.WardCode,
	}
}
