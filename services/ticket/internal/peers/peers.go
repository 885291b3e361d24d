// Package peers adapts the routing and SLA gRPC clients to the small
// interfaces the outbox workers need.
package peers

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/services/ticket/internal/outbox"
)

// Routing calls RoutingInternalService.
type Routing struct {
	c routingv1.RoutingInternalServiceClient
}

// NewRouting returns the routing adapter over conn.
func NewRouting(conn grpc.ClientConnInterface) *Routing {
	return &Routing{c: routingv1.NewRoutingInternalServiceClient(conn)}
}

// RouteTicket implements outbox.RoutingClient.
func (r *Routing) RouteTicket(ctx context.Context, a outbox.RouteTicketArgs) error {
	_, err := r.c.RouteTicket(peers.ForTenant(ctx, a.Tenant), &routingv1.RouteTicketRequest{
		Tenant: a.Tenant, TicketId: a.TicketID, Category: category(a.Category),
		Location: &commonv1.LatLng{Latitude: a.Lat, Longitude: a.Lng},
	})
	if err != nil {
		return fmt.Errorf("peers.RouteTicket: %w", err)
	}
	return nil
}

// RecordTicketStatus implements outbox.RoutingClient.
func (r *Routing) RecordTicketStatus(ctx context.Context, a outbox.RoutingStatusArgs) error {
	_, err := r.c.RecordTicketStatus(peers.ForTenant(ctx, a.Tenant), &routingv1.RecordTicketStatusRequest{
		Tenant: a.Tenant, TicketId: a.TicketID, Status: status(a.Status), Sequence: a.Sequence,
	})
	if err != nil {
		return fmt.Errorf("peers.RecordTicketStatus: %w", err)
	}
	return nil
}

// SLA calls SlaInternalService.
type SLA struct {
	c slav1.SlaInternalServiceClient
}

// NewSLA returns the SLA adapter over conn.
func NewSLA(conn grpc.ClientConnInterface) *SLA {
	return &SLA{c: slav1.NewSlaInternalServiceClient(conn)}
}

// RecordTicketEvent implements outbox.SLAClient.
func (s *SLA) RecordTicketEvent(ctx context.Context, a outbox.SLAEventArgs) error {
	kind := slav1.TicketEventKind_TICKET_EVENT_KIND_CREATED
	if a.Event == outbox.EventStatusChanged {
		kind = slav1.TicketEventKind_TICKET_EVENT_KIND_STATUS_CHANGED
	}
	_, err := s.c.RecordTicketEvent(peers.ForTenant(ctx, a.Tenant), &slav1.RecordTicketEventRequest{
		EventId: a.EventID, Tenant: a.Tenant, TicketId: a.TicketID, Category: category(a.Category), Kind: kind,
		FromStatus: status(a.From), ToStatus: status(a.To), FirstResponse: a.FirstResponse,
		OccurTime: timestamppb.New(a.OccurTime), Sequence: a.Sequence,
	})
	if err != nil {
		return fmt.Errorf("peers.RecordTicketEvent: %w", err)
	}
	return nil
}

// category maps a stored category ("water") to its enum (CATEGORY_WATER).
func category(c string) commonv1.Category {
	return commonv1.Category(commonv1.Category_value["CATEGORY_"+upper(c)])
}

// status maps a stored status ("in_progress") to its enum; "" is UNSPECIFIED.
func status(s string) commonv1.TicketStatus {
	return commonv1.TicketStatus(commonv1.TicketStatus_value["TICKET_STATUS_"+upper(s)])
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
