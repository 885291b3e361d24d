package server

import (
	"context"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/routing/internal/app"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// reassigners may move tickets by hand. GBV tickets: only the tenant's SAPS
// liaison; for everyone else a GBV ticket does not exist.
var reassigners = []string{auth.RoleTeamManager, auth.RoleMunicipalAdmin, auth.RoleSAPSLiaison}

// ReassignTicket implements RoutingService.
func (s *Server) ReassignTicket(ctx context.Context, req *routingv1.ReassignTicketRequest) (*routingv1.ReassignTicketResponse, error) {
	c, err := require(ctx, reassigners...)
	if err != nil {
		return nil, err
	}
	if err := checkUUID(req.GetTicketId(), "ticket_id"); err != nil {
		return nil, err
	}
	if err := checkUUID(req.GetTeamId(), "team_id"); err != nil {
		return nil, err
	}
	if err := checkText(req.GetNote(), "note", true, 2000); err != nil {
		return nil, err
	}
	if err := checkText(req.GetPersonId(), "person_id", false, 200); err != nil {
		return nil, err
	}
	a, err := s.app.ReassignTicket(ctx, c.scope(), app.ReassignRequest{
		TicketID: req.GetTicketId(), TeamID: req.GetTeamId(), PersonID: req.GetPersonId(), Note: req.GetNote(),
		By: c.Subject, MayHandleGBV: c.seesGBV(),
	})
	if err != nil {
		return nil, err
	}
	return &routingv1.ReassignTicketResponse{Assignment: assignmentToProto(a)}, nil
}

// ListAssignments implements RoutingService. Staff of the tenant.
func (s *Server) ListAssignments(ctx context.Context, req *routingv1.ListAssignmentsRequest) (*routingv1.ListAssignmentsResponse, error) {
	c, err := require(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	if err := checkUUID(req.GetTicketId(), "ticket_id"); err != nil {
		return nil, err
	}
	as, err := s.app.ListAssignments(ctx, c.scope(), req.GetTicketId(), c.seesGBV())
	if err != nil {
		return nil, err
	}
	resp := &routingv1.ListAssignmentsResponse{}
	for _, a := range as {
		resp.Assignments = append(resp.Assignments, assignmentToProto(a))
	}
	return resp, nil
}

// ListTeamQueue implements RoutingService. Staff of the team's tenant.
func (s *Server) ListTeamQueue(ctx context.Context, req *routingv1.ListTeamQueueRequest) (*routingv1.ListTeamQueueResponse, error) {
	c, err := require(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	if err := checkUUID(req.GetTeamId(), "team_id"); err != nil {
		return nil, err
	}
	page, err := pageOf(req.GetPageSize(), req.GetPageToken(), 100, 1000)
	if err != nil {
		return nil, err
	}
	qs, err := s.app.ListTeamQueue(ctx, c.scope(), store.QueueFilter{
		TeamID: req.GetTeamId(), IncludeFinished: req.GetIncludeFinished(), IncludeGBV: c.seesGBV(),
		Limit: page.Limit, Offset: page.Offset,
	})
	if err != nil {
		return nil, err
	}
	qs, next := nextToken(qs, page)
	return &routingv1.ListTeamQueueResponse{Tickets: queueToProto(qs), NextPageToken: next}, nil
}

// ListTriageQueue implements RoutingService. Staff of the tenant.
func (s *Server) ListTriageQueue(ctx context.Context, req *routingv1.ListTriageQueueRequest) (*routingv1.ListTriageQueueResponse, error) {
	c, err := require(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	tenant, err := c.tenant(req.GetTenant(), "tenant")
	if err != nil {
		return nil, err
	}
	page, err := pageOf(req.GetPageSize(), req.GetPageToken(), 100, 1000)
	if err != nil {
		return nil, err
	}
	qs, err := s.app.ListTriageQueue(ctx, c.scope(), store.QueueFilter{
		Tenant: tenant, IncludeGBV: c.seesGBV(), Limit: page.Limit, Offset: page.Offset,
	})
	if err != nil {
		return nil, err
	}
	qs, next := nextToken(qs, page)
	return &routingv1.ListTriageQueueResponse{Tickets: queueToProto(qs), NextPageToken: next}, nil
}
