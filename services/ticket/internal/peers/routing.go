package peers

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/pbtime"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/outbox"
)

// Routing calls RoutingInternalService.
type Routing struct {
	c routingv1.RoutingInternalServiceClient
}

// NewRouting returns the routing adapter over conn (dialed with libs/peers).
func NewRouting(conn grpc.ClientConnInterface) *Routing {
	return &Routing{c: routingv1.NewRoutingInternalServiceClient(conn)}
}

// RouteTicket implements outbox.RoutingClient.
func (r *Routing) RouteTicket(ctx context.Context, a outbox.RouteTicketArgs) error {
	if _, err := r.c.RouteTicket(libpeers.ForTenant(ctx, a.Tenant), routeRequest(a)); err != nil {
		return fmt.Errorf("peers.RouteTicket: %w", err)
	}
	return nil
}

// BatchRouteTickets implements outbox.RoutingClient.
func (r *Routing) BatchRouteTickets(ctx context.Context, tenant string, as []outbox.RouteTicketArgs) error {
	req := &routingv1.BatchRouteTicketsRequest{Tenant: tenant}
	for _, a := range as {
		req.Requests = append(req.Requests, routeRequest(a))
	}
	if _, err := r.c.BatchRouteTickets(libpeers.ForTenant(ctx, tenant), req); err != nil {
		return fmt.Errorf("peers.BatchRouteTickets: %d items: %w", len(as), err)
	}
	return nil
}

// routeRequest is the request of a.
func routeRequest(a outbox.RouteTicketArgs) *routingv1.RouteTicketRequest {
	req := &routingv1.RouteTicketRequest{
		Tenant: a.Tenant, TicketId: a.TicketID, Category: vocab.MustParse[commonv1.Category](a.Category),
		Location: &commonv1.LatLng{Latitude: a.Lat, Longitude: a.Lng}, CreateTime: optionalTime(a.CreateTime),
	}
	if a.Status != nil {
		req.Status = statusRequest(*a.Status)
	}
	return req
}

// RecordTicketStatus implements outbox.RoutingClient.
func (r *Routing) RecordTicketStatus(ctx context.Context, a outbox.RoutingStatusArgs) error {
	if _, err := r.c.RecordTicketStatus(libpeers.ForTenant(ctx, a.Tenant), statusRequest(a)); err != nil {
		return fmt.Errorf("peers.RecordTicketStatus: %w", err)
	}
	return nil
}

// BatchRecordTicketStatus implements outbox.RoutingClient.
func (r *Routing) BatchRecordTicketStatus(ctx context.Context, tenant string, as []outbox.RoutingStatusArgs) error {
	req := &routingv1.BatchRecordTicketStatusRequest{Tenant: tenant}
	for _, a := range as {
		req.Requests = append(req.Requests, statusRequest(a))
	}
	if _, err := r.c.BatchRecordTicketStatus(libpeers.ForTenant(ctx, tenant), req); err != nil {
		return fmt.Errorf("peers.BatchRecordTicketStatus: %d items: %w", len(as), err)
	}
	return nil
}

// statusRequest is the request of a.
func statusRequest(a outbox.RoutingStatusArgs) *routingv1.RecordTicketStatusRequest {
	return &routingv1.RecordTicketStatusRequest{
		Tenant: a.Tenant, TicketId: a.TicketID, Status: vocab.MustParse[commonv1.TicketStatus](a.Status), Sequence: a.Sequence,
		Priority:         vocab.MustParse[commonv1.Priority](a.Priority),
		ResponseDeadline: pbtime.Out(a.ResponseDeadline), ResolutionDeadline: pbtime.Out(a.ResolutionDeadline),
	}
}

// optionalTime is t as a Timestamp, nil when t is zero.
func optionalTime(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}
