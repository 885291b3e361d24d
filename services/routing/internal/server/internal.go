package server

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/pbtime"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// RouteTicket implements RoutingInternalService.
func (s internalServer) RouteTicket(ctx context.Context, req *routingv1.RouteTicketRequest) (*routingv1.RouteTicketResponse, error) {
	cat, err := categoryIn(req.GetCategory(), "category")
	if err != nil {
		return nil, err
	}
	r, err := routeRequestIn(req, cat, "")
	if err != nil {
		return nil, err
	}
	a, d, err := s.app.RouteTicket(ctx, r)
	if err != nil {
		return nil, err
	}
	return &routingv1.RouteTicketResponse{Assignment: assignmentOut(a), Decision: decisionOut(d)}, nil
}

// BatchRouteTickets implements RoutingInternalService.
func (s internalServer) BatchRouteTickets(ctx context.Context, req *routingv1.BatchRouteTicketsRequest) (*routingv1.BatchRouteTicketsResponse, error) {
	b := access.Batch[domain.RouteRequest]{Tenant: req.GetTenant()}
	for i, r := range req.GetRequests() {
		cat, err := categoryIn(r.GetCategory(), fmt.Sprintf("requests[%d].category", i))
		if err != nil {
			return nil, err
		}
		item, err := routeRequestIn(r, cat, fmt.Sprintf("requests[%d].", i))
		if err != nil {
			return nil, err
		}
		b.Items = append(b.Items, item)
	}
	routed, err := s.app.BatchRouteTickets(ctx, b)
	if err != nil {
		return nil, err
	}
	out := &routingv1.BatchRouteTicketsResponse{}
	for _, r := range routed {
		out.Responses = append(out.Responses, &routingv1.RouteTicketResponse{Assignment: assignmentOut(r.Assignment), Decision: decisionOut(r.Decision)})
	}
	return out, nil
}

// routeRequestIn is the domain input of req, of category cat; prefix
// names req's place in its batch ("" alone).
func routeRequestIn(req *routingv1.RouteTicketRequest, cat domain.Category, prefix string) (domain.RouteRequest, error) {
	r := domain.RouteRequest{Tenant: req.GetTenant(), TicketID: req.GetTicketId(),
		Category: cat, Location: pointIn(req.GetLocation()), CreateTime: timeIn(req.GetCreateTime())}
	if req.GetStatus() != nil {
		st, err := statusReportIn(req.GetStatus(), prefix+"status.")
		if err != nil {
			return domain.RouteRequest{}, err
		}
		r.Status = &st
	}
	return r, nil
}

// EscalateTicket implements RoutingInternalService.
func (s internalServer) EscalateTicket(ctx context.Context, req *routingv1.EscalateTicketRequest) (*routingv1.EscalateTicketResponse, error) {
	reason, err := vocab.Field(req.GetReason(), "reason", "must be ASSIGNMENT_REASON_SLA_BREACH or ASSIGNMENT_REASON_ESCALATION")
	if err != nil {
		return nil, err
	}
	a, err := s.app.EscalateTicket(ctx, domain.EscalateRequest{Tenant: req.GetTenant(), TicketID: req.GetTicketId(),
		Level: req.GetLevel(), Reason: domain.Reason(reason), Note: req.GetNote()})
	if err != nil {
		return nil, err
	}
	return &routingv1.EscalateTicketResponse{Assignment: assignmentOut(a)}, nil
}

// RecordTicketStatus implements RoutingInternalService.
func (s internalServer) RecordTicketStatus(ctx context.Context, req *routingv1.RecordTicketStatusRequest) (*routingv1.RecordTicketStatusResponse, error) {
	r, err := statusReportIn(req, "")
	if err != nil {
		return nil, err
	}
	applied, err := s.app.RecordTicketStatus(ctx, r)
	if err != nil {
		return nil, err
	}
	return &routingv1.RecordTicketStatusResponse{Applied: applied}, nil
}

// BatchRecordTicketStatus implements RoutingInternalService.
func (s internalServer) BatchRecordTicketStatus(ctx context.Context, req *routingv1.BatchRecordTicketStatusRequest) (*routingv1.BatchRecordTicketStatusResponse, error) {
	b := access.Batch[domain.StatusReport]{Tenant: req.GetTenant()}
	for i, r := range req.GetRequests() {
		report, err := statusReportIn(r, fmt.Sprintf("requests[%d].", i))
		if err != nil {
			return nil, err
		}
		b.Items = append(b.Items, report)
	}
	applied, err := s.app.BatchRecordTicketStatus(ctx, b)
	if err != nil {
		return nil, err
	}
	return &routingv1.BatchRecordTicketStatusResponse{Applied: applied}, nil
}

// statusReportIn is the domain input of req; prefix goes before the
// names of the fields it refuses.
func statusReportIn(req *routingv1.RecordTicketStatusRequest, prefix string) (domain.StatusReport, error) {
	status, err := vocab.Field(req.GetStatus(), prefix+"status", "must be a known status other than TICKET_STATUS_UNSPECIFIED")
	if err != nil {
		return domain.StatusReport{}, err
	}
	priority, err := vocab.Field(req.GetPriority(), prefix+"priority", "must be a known priority or PRIORITY_UNSPECIFIED for none")
	if err != nil {
		return domain.StatusReport{}, err
	}
	return domain.StatusReport{Tenant: req.GetTenant(), TicketID: req.GetTicketId(),
		Status: status, Sequence: req.GetSequence(), Priority: priority,
		Response: pbtime.In(req.GetResponseDeadline()), Resolution: pbtime.In(req.GetResolutionDeadline())}, nil
}

// timeIn is an optional Timestamp as a time, zero when unset.
func timeIn(ts *timestamppb.Timestamp) time.Time {
	if ts == nil {
		return time.Time{}
	}
	return ts.AsTime()
}
