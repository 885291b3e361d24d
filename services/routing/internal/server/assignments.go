package server

import (
	"context"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ReassignTicket implements RoutingService.
func (s *Server) ReassignTicket(ctx context.Context, req *routingv1.ReassignTicketRequest) (*routingv1.ReassignTicketResponse, error) {
	a, err := s.app.ReassignTicket(ctx, domain.ReassignRequest{TicketID: req.GetTicketId(), TeamID: req.GetTeamId(),
		PersonID: req.GetPersonId(), Note: req.GetNote()})
	if err != nil {
		return nil, err
	}
	return &routingv1.ReassignTicketResponse{Assignment: assignmentOut(a)}, nil
}

// ListAssignments implements RoutingService.
func (s *Server) ListAssignments(ctx context.Context, req *routingv1.ListAssignmentsRequest) (*routingv1.ListAssignmentsResponse, error) {
	as, err := s.app.ListAssignments(ctx, req.GetTicketId())
	if err != nil {
		return nil, err
	}
	resp := &routingv1.ListAssignmentsResponse{}
	for _, a := range as {
		resp.Assignments = append(resp.Assignments, assignmentOut(a))
	}
	return resp, nil
}

// ListTeamQueue implements RoutingService.
func (s *Server) ListTeamQueue(ctx context.Context, req *routingv1.ListTeamQueueRequest) (*routingv1.ListTeamQueueResponse, error) {
	qs, next, err := s.app.ListTeamQueue(ctx, domain.QueueRequest{TeamID: req.GetTeamId(),
		IncludeFinished: req.GetIncludeFinished(), PageSize: req.GetPageSize(), PageToken: req.GetPageToken()})
	if err != nil {
		return nil, err
	}
	return &routingv1.ListTeamQueueResponse{Tickets: queueOut(qs), NextPageToken: next}, nil
}

// ListTriageQueue implements RoutingService.
func (s *Server) ListTriageQueue(ctx context.Context, req *routingv1.ListTriageQueueRequest) (*routingv1.ListTriageQueueResponse, error) {
	qs, next, err := s.app.ListTriageQueue(ctx, domain.QueueRequest{Tenant: req.GetTenant(),
		PageSize: req.GetPageSize(), PageToken: req.GetPageToken()})
	if err != nil {
		return nil, err
	}
	return &routingv1.ListTriageQueueResponse{Tickets: queueOut(qs), NextPageToken: next}, nil
}
