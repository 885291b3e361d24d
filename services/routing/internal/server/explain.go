package server

import (
	"context"
	"fmt"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
	"github.com/salga/trustengine/services/routing/internal/app"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// ExplainRoute implements RoutingService. Staff of the tenant (and
// services); it reveals team choice only, no ticket data.
func (s *Server) ExplainRoute(ctx context.Context, req *routingv1.ExplainRouteRequest) (*routingv1.ExplainRouteResponse, error) {
	c, err := require(ctx, teamReaders...)
	if err != nil {
		return nil, err
	}
	tenant, err := c.tenant(req.GetTenant(), "tenant")
	if err != nil {
		return nil, err
	}
	if err := checkLocation(req.GetLocation(), "location"); err != nil {
		return nil, err
	}
	if err := checkCategory(req.GetCategory(), "category"); err != nil {
		return nil, err
	}
	d, err := s.app.ExplainRoute(ctx, c.scope(), store.RouteQuery{
		Tenant: tenant, Category: categoryFromProto(req.GetCategory()),
		Lat: req.GetLocation().GetLatitude(), Lng: req.GetLocation().GetLongitude(),
	})
	if err != nil {
		return nil, err
	}
	return &routingv1.ExplainRouteResponse{Decision: decisionToProto(d)}, nil
}

// ImportTeams implements RoutingService. Municipal admins (own tenant) and
// platform admins; all features or none.
func (s *Server) ImportTeams(ctx context.Context, req *routingv1.ImportTeamsRequest) (*routingv1.ImportTeamsResponse, error) {
	c, err := require(ctx, teamWriters...)
	if err != nil {
		return nil, err
	}
	tenant, err := c.tenant(req.GetTenant(), "tenant")
	if err != nil {
		return nil, err
	}
	if err := checkCategory(req.GetCategory(), "category"); err != nil {
		return nil, err
	}
	if req.GetNameProperty() == "" {
		return nil, apperr.Invalid("name_property", "is required")
	}
	if err := checkText(req.GetNamePrefix(), "name_prefix", false, 100); err != nil {
		return nil, err
	}
	features, err := geo.ParseFeatureCollection(structMap(req.GetFeatureCollection()), "feature_collection")
	if err != nil {
		return nil, err
	}
	created, updated, err := s.app.ImportTeams(ctx, c.scope(), app.TeamImport{
		Tenant: tenant, Category: categoryFromProto(req.GetCategory()), IsSAPS: req.GetIsSaps(),
		NameProperty: req.GetNameProperty(), NamePrefix: req.GetNamePrefix(), Features: features,
	})
	if err != nil {
		return nil, fmt.Errorf("server.ImportTeams: %w", err)
	}
	return &routingv1.ImportTeamsResponse{Created: int32(created), Updated: int32(updated)}, nil
}
