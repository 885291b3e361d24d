package peers

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/routing/internal/outbox"
)

// Ticket calls TicketInternalService.
type Ticket struct {
	c ticketv1.TicketInternalServiceClient
}

// NewTicket returns the ticket adapter over conn (dialed with libs/peers).
func NewTicket(conn grpc.ClientConnInterface) *Ticket {
	return &Ticket{c: ticketv1.NewTicketInternalServiceClient(conn)}
}

// RecordAssignment implements outbox.TicketClient.
func (t *Ticket) RecordAssignment(ctx context.Context, a outbox.RecordAssignmentArgs) error {
	if _, err := t.c.RecordAssignment(libpeers.ForTenant(ctx, a.Tenant), assignment(a)); err != nil {
		return fmt.Errorf("peers.RecordAssignment: %w", err)
	}
	return nil
}

// BatchRecordAssignments implements outbox.TicketClient.
func (t *Ticket) BatchRecordAssignments(ctx context.Context, tenant string, as []outbox.RecordAssignmentArgs) error {
	req := &ticketv1.BatchRecordAssignmentsRequest{Tenant: tenant}
	for _, a := range as {
		req.Requests = append(req.Requests, assignment(a))
	}
	if _, err := t.c.BatchRecordAssignments(libpeers.ForTenant(ctx, tenant), req); err != nil {
		return fmt.Errorf("peers.BatchRecordAssignments: %d items: %w", len(as), err)
	}
	return nil
}

// assignment is the request of a.
func assignment(a outbox.RecordAssignmentArgs) *ticketv1.RecordAssignmentRequest {
	return &ticketv1.RecordAssignmentRequest{
		Tenant: a.Tenant, TicketId: a.TicketID, AssignmentId: a.AssignmentID, TeamId: a.TeamID, TeamName: a.TeamName,
		PersonId: a.PersonID, Reason: vocab.MustParse[commonv1.AssignmentReason](a.Reason), EscalationLevel: a.EscalationLevel,
		AssignTime: timestamppb.New(a.AssignTime), WardCode: a.WardCode,
	}
}

// RecordGBVAccess implements outbox.TicketClient.
func (t *Ticket) RecordGBVAccess(ctx context.Context, a outbox.RecordGBVAccessArgs) error {
	_, err := t.c.RecordGbvAccess(libpeers.ForTenant(ctx, a.Tenant), &ticketv1.RecordGbvAccessRequest{
		Tenant: a.Tenant, TicketIds: a.TicketIDs, Subject: a.Subject, Roles: a.Roles, Action: a.Action,
		EventId: a.EventID, AccessTime: timestamppb.New(a.Time),
	})
	if err != nil {
		return fmt.Errorf("peers.RecordGBVAccess: %w", err)
	}
	return nil
}
