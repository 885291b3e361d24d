package peers

import (
	"context"
	"fmt"

	"google.golang.org/grpc"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/services/sla/internal/outbox"
)

// Routing calls RoutingInternalService.
type Routing struct {
	c routingv1.RoutingInternalServiceClient
}

// NewRouting returns the routing adapter over conn (dialed with libs/peers).
func NewRouting(conn grpc.ClientConnInterface) *Routing {
	return &Routing{c: routingv1.NewRoutingInternalServiceClient(conn)}
}

// EscalateTicket implements outbox.RoutingClient: an escalation for an SLA
// breach, at the job's level.
func (r *Routing) EscalateTicket(ctx context.Context, a outbox.EscalateArgs) error {
	_, err := r.c.EscalateTicket(libpeers.ForTenant(ctx, a.Tenant), &routingv1.EscalateTicketRequest{Tenant: a.Tenant, TicketId: a.TicketID,
		Level: int32(a.Level), Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH, Note: a.Note})
	if err != nil {
		return fmt.Errorf("peers.EscalateTicket: %w", err)
	}
	return nil
}
