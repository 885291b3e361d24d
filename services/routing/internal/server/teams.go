package server

import (
	"context"
	"fmt"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// teamIn maps a request's team (nil when absent).
func teamIn(pt *routingv1.Team, repair bool) (*domain.TeamInput, error) {
	if pt == nil {
		return nil, nil
	}
	cat, err := categoryIn(pt.GetCategory(), "team.category")
	if err != nil {
		return nil, err
	}
	members := make([]domain.Member, 0, len(pt.GetMembers()))
	for _, m := range pt.GetMembers() {
		members = append(members, domain.Member{UserID: m.GetUserId(), DisplayName: m.GetDisplayName()})
	}
	return &domain.TeamInput{ID: pt.GetId(), Tenant: pt.GetTenant(), Name: pt.GetName(), Category: cat, IsSAPS: pt.GetIsSaps(),
		Active: pt.GetActive(), ManagerID: pt.GetManagerId(), EscalationTeamID: pt.GetEscalationTeamId(), Members: members,
		ServiceArea: structIn(pt.GetServiceArea()), RepairArea: repair}, nil
}

// teamReply maps the team a use case answered with, passing its error on.
func teamReply(t domain.Team, err error) (*routingv1.Team, error) {
	if err != nil {
		return nil, err
	}
	out, err := teamOut(t)
	if err != nil {
		return nil, fmt.Errorf("server: team %s: %w", t.ID, err)
	}
	return out, nil
}

// CreateTeam implements RoutingService.
func (s *Server) CreateTeam(ctx context.Context, req *routingv1.CreateTeamRequest) (*routingv1.CreateTeamResponse, error) {
	in, err := teamIn(req.GetTeam(), req.GetRepairServiceArea())
	if err != nil {
		return nil, err
	}
	t, err := teamReply(s.app.CreateTeam(ctx, in))
	if err != nil {
		return nil, err
	}
	return &routingv1.CreateTeamResponse{Team: t}, nil
}

// UpdateTeam implements RoutingService.
func (s *Server) UpdateTeam(ctx context.Context, req *routingv1.UpdateTeamRequest) (*routingv1.UpdateTeamResponse, error) {
	in, err := teamIn(req.GetTeam(), req.GetRepairServiceArea())
	if err != nil {
		return nil, err
	}
	ch := domain.TeamChange{PathID: req.GetId(), Paths: req.GetUpdateMask().GetPaths()}
	if in != nil {
		ch.TeamInput = *in
	}
	ch.RepairArea = req.GetRepairServiceArea()
	t, err := teamReply(s.app.UpdateTeam(ctx, ch))
	if err != nil {
		return nil, err
	}
	return &routingv1.UpdateTeamResponse{Team: t}, nil
}

// DeactivateTeam implements RoutingService.
func (s *Server) DeactivateTeam(ctx context.Context, req *routingv1.DeactivateTeamRequest) (*routingv1.DeactivateTeamResponse, error) {
	t, err := teamReply(s.app.DeactivateTeam(ctx, req.GetId()))
	if err != nil {
		return nil, err
	}
	return &routingv1.DeactivateTeamResponse{Team: t}, nil
}

// GetTeam implements RoutingService.
func (s *Server) GetTeam(ctx context.Context, req *routingv1.GetTeamRequest) (*routingv1.GetTeamResponse, error) {
	t, err := teamReply(s.app.GetTeam(ctx, req.GetId()))
	if err != nil {
		return nil, err
	}
	return &routingv1.GetTeamResponse{Team: t}, nil
}

// ListTeams implements RoutingService.
func (s *Server) ListTeams(ctx context.Context, req *routingv1.ListTeamsRequest) (*routingv1.ListTeamsResponse, error) {
	cat, err := categoryIn(req.GetCategory(), "category")
	if err != nil {
		return nil, err
	}
	ts, next, err := s.app.ListTeams(ctx, domain.TeamList{Tenant: req.GetTenant(), Category: cat,
		IncludeInactive: req.GetIncludeInactive(), WithArea: req.GetIncludeServiceArea(),
		PageSize: req.GetPageSize(), PageToken: req.GetPageToken()})
	if err != nil {
		return nil, err
	}
	resp := &routingv1.ListTeamsResponse{NextPageToken: next}
	for _, t := range ts {
		out, err := teamOut(t)
		if err != nil {
			return nil, fmt.Errorf("server.ListTeams: %w", err)
		}
		resp.Teams = append(resp.Teams, out)
	}
	return resp, nil
}

// ImportTeams implements RoutingService.
func (s *Server) ImportTeams(ctx context.Context, req *routingv1.ImportTeamsRequest) (*routingv1.ImportTeamsResponse, error) {
	cat, err := categoryIn(req.GetCategory(), "category")
	if err != nil {
		return nil, err
	}
	opts, err := importOptionsIn(req.GetMode(), req.GetMaxAreaChangePercent(), req.GetSrid())
	if err != nil {
		return nil, err
	}
	r, err := s.app.ImportTeams(ctx, domain.TeamImport{Tenant: req.GetTenant(), Category: cat,
		IsSAPS: req.GetIsSaps(), NameProperty: req.GetNameProperty(), NamePrefix: req.GetNamePrefix(),
		FeatureCollection: structIn(req.GetFeatureCollection()), Options: opts})
	if err != nil {
		return nil, err
	}
	return &routingv1.ImportTeamsResponse{Created: int32(r.Created), Updated: int32(r.Updated),
		Repaired: int32(r.Repaired), Refused: int32(r.Refused), Features: featuresOut(r)}, nil
}

// ExplainRoute implements RoutingService.
func (s *Server) ExplainRoute(ctx context.Context, req *routingv1.ExplainRouteRequest) (*routingv1.ExplainRouteResponse, error) {
	cat, err := categoryIn(req.GetCategory(), "category")
	if err != nil {
		return nil, err
	}
	d, err := s.app.ExplainRoute(ctx, domain.ExplainRequest{Tenant: req.GetTenant(), Category: cat, Location: pointIn(req.GetLocation())})
	if err != nil {
		return nil, err
	}
	return &routingv1.ExplainRouteResponse{Decision: decisionOut(d)}, nil
}

// GetCoverage implements RoutingService.
func (s *Server) GetCoverage(ctx context.Context, req *routingv1.GetCoverageRequest) (*routingv1.GetCoverageResponse, error) {
	cat, err := categoryIn(req.GetCategory(), "category")
	if err != nil {
		return nil, err
	}
	c, err := s.app.GetCoverage(ctx, domain.CoverageRequest{Tenant: req.GetTenant(), Category: cat})
	if err != nil {
		return nil, err
	}
	out, err := coverageOut(c)
	if err != nil {
		return nil, fmt.Errorf("server.GetCoverage: %w", err)
	}
	return &routingv1.GetCoverageResponse{Coverage: out}, nil
}
