package server

import (
	"context"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/routing/internal/app"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// internalCaller admits only service tokens, for the given tenant.
func internalCaller(ctx context.Context, tenant string) (caller, error) {
	c, err := require(ctx, auth.RoleService)
	if err != nil {
		return caller{}, err
	}
	if err := checkCode(tenant, "tenant"); err != nil {
		return caller{}, err
	}
	if _, err := c.tenant(tenant, "tenant"); err != nil {
		return caller{}, err
	}
	return c, nil
}

// RouteTicket implements RoutingInternalService.
func (s internalServer) RouteTicket(ctx context.Context, req *routingv1.RouteTicketRequest) (*routingv1.RouteTicketResponse, error) {
	c, err := internalCaller(ctx, req.GetTenant())
	if err != nil {
		return nil, err
	}
	if err := checkUUID(req.GetTicketId(), "ticket_id"); err != nil {
		return nil, err
	}
	if err := checkCategory(req.GetCategory(), "category"); err != nil {
		return nil, err
	}
	if err := checkLocation(req.GetLocation(), "location"); err != nil {
		return nil, err
	}
	a, d, err := s.app.RouteTicket(ctx, c.scope(), app.RouteRequest{
		Tenant: req.GetTenant(), TicketID: req.GetTicketId(), Category: categoryFromProto(req.GetCategory()),
		Lat: req.GetLocation().GetLatitude(), Lng: req.GetLocation().GetLongitude(),
	})
	if err != nil {
		return nil, err
	}
	return &routingv1.RouteTicketResponse{Assignment: assignmentToProto(a), Decision: decisionToProto(d)}, nil
}

// EscalateTicket implements RoutingInternalService.
func (s internalServer) EscalateTicket(ctx context.Context, req *routingv1.EscalateTicketRequest) (*routingv1.EscalateTicketResponse, error) {
	c, err := internalCaller(ctx, req.GetTenant())
	if err != nil {
		return nil, err
	}
	if err := checkUUID(req.GetTicketId(), "ticket_id"); err != nil {
		return nil, err
	}
	if req.GetLevel() < 1 {
		return nil, apperr.Invalid("level", "must be 1 or more")
	}
	reason := reasonFromProto(req.GetReason())
	if reason != domain.ReasonEscalation && reason != domain.ReasonSLABreach {
		return nil, apperr.Invalid("reason", "must be ASSIGNMENT_REASON_SLA_BREACH or ASSIGNMENT_REASON_ESCALATION")
	}
	if err := checkText(req.GetNote(), "note", false, 2000); err != nil {
		return nil, err
	}
	a, err := s.app.EscalateTicket(ctx, c.scope(), app.EscalateRequest{
		Tenant: req.GetTenant(), TicketID: req.GetTicketId(), Level: req.GetLevel(), Reason: reason, Note: req.GetNote(),
	})
	if err != nil {
		return nil, err
	}
	return &routingv1.EscalateTicketResponse{Assignment: assignmentToProto(a)}, nil
}

// RecordTicketStatus implements RoutingInternalService.
func (s internalServer) RecordTicketStatus(ctx context.Context, req *routingv1.RecordTicketStatusRequest) (*routingv1.RecordTicketStatusResponse, error) {
	c, err := internalCaller(ctx, req.GetTenant())
	if err != nil {
		return nil, err
	}
	if err := checkUUID(req.GetTicketId(), "ticket_id"); err != nil {
		return nil, err
	}
	if req.GetStatus() == 0 || statusToProto(statusFromProto(req.GetStatus())) != req.GetStatus() {
		return nil, apperr.Invalid("status", "must be a known status other than TICKET_STATUS_UNSPECIFIED")
	}
	if req.GetSequence() < 0 {
		return nil, apperr.Invalid("sequence", "must not be negative")
	}
	applied, err := s.app.RecordTicketStatus(ctx, c.scope(), req.GetTenant(), req.GetTicketId(), statusFromProto(req.GetStatus()), req.GetSequence())
	if err != nil {
		return nil, err
	}
	return &routingv1.RecordTicketStatusResponse{Applied: applied}, nil
}
