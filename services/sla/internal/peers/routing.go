// Package adapters reaches the routing and ticket services over gRPC for the
// River workers; each call carries a service token for its job's tenant
// (connections dialed with libs/peers).
package adapters

import (
	"context"
	"fmt"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/salga/trustengine/services/sla/internal/domain"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/services/sla/internal/jobs"
)

// Routing delivers escalations to RoutingInternalService.
type Routing struct {
	Client routingv1.RoutingInternalServiceClient
}

// EscalateTicket implements jobs.Escalator.
func (r Routing) EscalateTicket(ctx context.Context, a jobs.EscalateArgs) error {
	_, err := r.Client.EscalateTicket(peers.ForTenant(ctx, a.Tenant), &routingv1.EscalateTicketRequest{Tenant: a.Tenant, TicketId: a.TicketID,
		Level: int32(a.Level), Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH, Note: a.Note})
	if err != nil {
		return fmt.Errorf("adapters.Routing.EscalateTicket: %w", err)
	}
	return nil
}

// Ticket delivers deadlines to TicketInternalService.
type Ticket struct {
	Client ticketv1.TicketInternalServiceClient
}

// RecordDeadlines implements jobs.Ticket.
func (t Ticket) RecordDeadlines(ctx context.Context, a jobs.RecordDeadlinesArgs) error {
	req := &ticketv1.RecordDeadlinesRequest{Tenant: a.Tenant, TicketId: a.TicketID, Revision: a.Revision}
	if a.ResponseDeadline != nil {
		req.ResponseDeadline = timestamppb.New(*a.ResponseDeadline)
	}
	if a.ResolutionDeadline != nil {
		req.ResolutionDeadline = timestamppb.New(*a.ResolutionDeadline)
	}
	if _, err := t.Client.RecordDeadlines(peers.ForTenant(ctx, a.Tenant), req); err != nil {
		return fmt.Errorf("adapters.Ticket.RecordDeadlines: %w", err)
	}
	return nil
}

var eventKinds = map[string]ticketv1.SlaEventKind{
	domain.EventWarning: ticketv1.SlaEventKind_SLA_EVENT_KIND_WARNING,
	domain.EventBreach:  ticketv1.SlaEventKind_SLA_EVENT_KIND_BREACH,
}

var clockKinds = map[string]ticketv1.SlaClock{
	domain.ClockResponse:   ticketv1.SlaClock_SLA_CLOCK_RESPONSE,
	domain.ClockResolution: ticketv1.SlaClock_SLA_CLOCK_RESOLUTION,
}

// RecordClockEvent implements jobs.Ticket.
func (t Ticket) RecordClockEvent(ctx context.Context, a jobs.RecordClockEventArgs) error {
	_, err := t.Client.RecordClockEvent(peers.ForTenant(ctx, a.Tenant), &ticketv1.RecordClockEventRequest{Tenant: a.Tenant, TicketId: a.TicketID,
		EventId: a.EventID, Kind: eventKinds[a.EventKind], Clock: clockKinds[a.ClockKind], Cycle: int32(a.Cycle),
		Step: int32(a.Step), EscalationLevel: int32(a.EscalationLevel), Deadline: timestamppb.New(a.Deadline)})
	if err != nil {
		return fmt.Errorf("adapters.Ticket.RecordClockEvent: %w", err)
	}
	return nil
}
