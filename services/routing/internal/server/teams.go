package server

import (
	"context"
	"fmt"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// teamWriters may create and change teams (municipal admins only in their
// own municipality, which caller.tenant enforces).
var teamWriters = []string{auth.RoleMunicipalAdmin, auth.RolePlatformAdmin}

// teamReaders may read teams: staff, and services.
var teamReaders = append([]string{auth.RoleService}, staffRoles...)

// CreateTeam implements RoutingService.
func (s *Server) CreateTeam(ctx context.Context, req *routingv1.CreateTeamRequest) (*routingv1.CreateTeamResponse, error) {
	c, err := require(ctx, teamWriters...)
	if err != nil {
		return nil, err
	}
	pt := req.GetTeam()
	if pt == nil {
		return nil, apperr.Invalid("team", "is required")
	}
	tenant, err := c.tenant(pt.GetTenant(), "team.tenant")
	if err != nil {
		return nil, err
	}
	t := domain.Team{Tenant: tenant, Active: true}
	var p teamPatch
	for _, path := range []string{"name", "category", "is_saps", "manager_id", "escalation_team_id", "members", "service_area"} {
		if err := p.add(path, pt); err != nil {
			return nil, err
		}
	}
	p.applyTo(&t)
	out, err := s.app.CreateTeam(ctx, c.scope(), t, "team.service_area")
	if err != nil {
		return nil, err
	}
	resp, err := teamToProto(out)
	if err != nil {
		return nil, fmt.Errorf("server.CreateTeam: %w", err)
	}
	return &routingv1.CreateTeamResponse{Team: resp}, nil
}

// UpdateTeam implements RoutingService.
func (s *Server) UpdateTeam(ctx context.Context, req *routingv1.UpdateTeamRequest) (*routingv1.UpdateTeamResponse, error) {
	c, err := require(ctx, teamWriters...)
	if err != nil {
		return nil, err
	}
	pt := req.GetTeam()
	id, err := pathID(req.GetId(), pt.GetId(), "id", "team.id")
	if err != nil {
		return nil, err
	}
	if err := checkUUID(id, "id"); err != nil {
		return nil, err
	}
	if len(req.GetUpdateMask().GetPaths()) == 0 {
		return nil, apperr.Invalid("update_mask", "is required")
	}
	var p teamPatch
	for _, path := range req.GetUpdateMask().GetPaths() {
		if err := p.add(path, pt); err != nil {
			return nil, err
		}
	}
	out, err := s.app.UpdateTeam(ctx, c.scope(), id, p.TeamPatch, "team.service_area")
	if err != nil {
		return nil, err
	}
	resp, err := teamToProto(out)
	if err != nil {
		return nil, fmt.Errorf("server.UpdateTeam: %w", err)
	}
	return &routingv1.UpdateTeamResponse{Team: resp}, nil
}

// DeactivateTeam implements RoutingService.
func (s *Server) DeactivateTeam(ctx context.Context, req *routingv1.DeactivateTeamRequest) (*routingv1.DeactivateTeamResponse, error) {
	c, err := require(ctx, teamWriters...)
	if err != nil {
		return nil, err
	}
	if err := checkUUID(req.GetId(), "id"); err != nil {
		return nil, err
	}
	out, err := s.app.DeactivateTeam(ctx, c.scope(), req.GetId())
	if err != nil {
		return nil, err
	}
	resp, err := teamToProto(out)
	if err != nil {
		return nil, fmt.Errorf("server.DeactivateTeam: %w", err)
	}
	return &routingv1.DeactivateTeamResponse{Team: resp}, nil
}

// GetTeam implements RoutingService.
func (s *Server) GetTeam(ctx context.Context, req *routingv1.GetTeamRequest) (*routingv1.GetTeamResponse, error) {
	c, err := require(ctx, teamReaders...)
	if err != nil {
		return nil, err
	}
	if err := checkUUID(req.GetId(), "id"); err != nil {
		return nil, err
	}
	t, err := s.app.GetTeam(ctx, c.scope(), req.GetId())
	if err != nil {
		return nil, err
	}
	resp, err := teamToProto(t)
	if err != nil {
		return nil, fmt.Errorf("server.GetTeam: %w", err)
	}
	return &routingv1.GetTeamResponse{Team: resp}, nil
}

// ListTeams implements RoutingService.
func (s *Server) ListTeams(ctx context.Context, req *routingv1.ListTeamsRequest) (*routingv1.ListTeamsResponse, error) {
	c, err := require(ctx, teamReaders...)
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
	teams, err := s.app.ListTeams(ctx, c.scope(), store.TeamFilter{
		Tenant: tenant, Category: categoryFromProto(req.GetCategory()), IncludeInactive: req.GetIncludeInactive(),
		WithArea: req.GetIncludeServiceArea(), Limit: page.Limit, Offset: page.Offset,
	})
	if err != nil {
		return nil, err
	}
	teams, next := nextToken(teams, page)
	resp := &routingv1.ListTeamsResponse{NextPageToken: next}
	for _, t := range teams {
		pt, err := teamToProto(t)
		if err != nil {
			return nil, fmt.Errorf("server.ListTeams: %w", err)
		}
		resp.Teams = append(resp.Teams, pt)
	}
	return resp, nil
}

// pathID picks the id of the resource an Update names: the top-level field
// filled from the URL path, else the id inside the resource. Both set and
// different is refused, so a body cannot redirect an update elsewhere.
func pathID(top, inner, topField, innerField string) (string, error) {
	switch {
	case top == "":
		return inner, nil
	case inner == "" || inner == top:
		return top, nil
	default:
		return "", apperr.Invalid(innerField, "must be empty or equal "+topField)
	}
}
