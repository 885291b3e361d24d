package server

import (
	"context"
	"fmt"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// municipalityIn maps a request's municipality (nil when absent).
func municipalityIn(pm *routingv1.Municipality) *domain.MunicipalityInput {
	if pm == nil {
		return nil
	}
	return &domain.MunicipalityInput{Code: pm.GetCode(), Name: pm.GetName(), Province: pm.GetProvince(),
		Boundary: structIn(pm.GetBoundary())}
}

// CreateMunicipality implements RoutingService.
func (s *Server) CreateMunicipality(ctx context.Context, req *routingv1.CreateMunicipalityRequest) (*routingv1.CreateMunicipalityResponse, error) {
	m, err := s.app.CreateMunicipality(ctx, municipalityIn(req.GetMunicipality()))
	if err != nil {
		return nil, err
	}
	out, err := municipalityOut(m)
	if err != nil {
		return nil, fmt.Errorf("server.CreateMunicipality: %w", err)
	}
	return &routingv1.CreateMunicipalityResponse{Municipality: out}, nil
}

// UpdateMunicipality implements RoutingService.
func (s *Server) UpdateMunicipality(ctx context.Context, req *routingv1.UpdateMunicipalityRequest) (*routingv1.UpdateMunicipalityResponse, error) {
	ch := domain.MunicipalityChange{PathCode: req.GetCode(), Paths: req.GetUpdateMask().GetPaths()}
	if in := municipalityIn(req.GetMunicipality()); in != nil {
		ch.MunicipalityInput = *in
	}
	m, err := s.app.UpdateMunicipality(ctx, ch)
	if err != nil {
		return nil, err
	}
	out, err := municipalityOut(m)
	if err != nil {
		return nil, fmt.Errorf("server.UpdateMunicipality: %w", err)
	}
	return &routingv1.UpdateMunicipalityResponse{Municipality: out}, nil
}

// GetMunicipality implements RoutingService.
func (s *Server) GetMunicipality(ctx context.Context, req *routingv1.GetMunicipalityRequest) (*routingv1.GetMunicipalityResponse, error) {
	m, err := s.app.GetMunicipality(ctx, req.GetCode())
	if err != nil {
		return nil, err
	}
	out, err := municipalityOut(m)
	if err != nil {
		return nil, fmt.Errorf("server.GetMunicipality: %w", err)
	}
	return &routingv1.GetMunicipalityResponse{Municipality: out}, nil
}

// ListMunicipalities implements RoutingService.
func (s *Server) ListMunicipalities(ctx context.Context, req *routingv1.ListMunicipalitiesRequest) (*routingv1.ListMunicipalitiesResponse, error) {
	ms, next, err := s.app.ListMunicipalities(ctx, domain.MunicipalityList{Province: req.GetProvince(),
		IncludeBoundary: req.GetIncludeBoundary(), PageSize: req.GetPageSize(), PageToken: req.GetPageToken()})
	if err != nil {
		return nil, err
	}
	resp := &routingv1.ListMunicipalitiesResponse{NextPageToken: next}
	for _, m := range ms {
		out, err := municipalityOut(m)
		if err != nil {
			return nil, fmt.Errorf("server.ListMunicipalities: %w", err)
		}
		resp.Municipalities = append(resp.Municipalities, out)
	}
	return resp, nil
}

// ResolveJurisdiction implements RoutingService.
func (s *Server) ResolveJurisdiction(ctx context.Context, req *routingv1.ResolveJurisdictionRequest) (*routingv1.ResolveJurisdictionResponse, error) {
	m, err := s.app.ResolveJurisdiction(ctx, pointIn(req.GetLocation()))
	if err != nil {
		return nil, err
	}
	out, err := municipalityOut(m)
	if err != nil {
		return nil, fmt.Errorf("server.ResolveJurisdiction: %w", err)
	}
	return &routingv1.ResolveJurisdictionResponse{Municipality: out}, nil
}

// ImportMunicipalities implements RoutingService.
func (s *Server) ImportMunicipalities(ctx context.Context, req *routingv1.ImportMunicipalitiesRequest) (*routingv1.ImportMunicipalitiesResponse, error) {
	opts, err := importOptionsIn(req.GetMode(), req.GetMaxAreaChangePercent(), req.GetSrid())
	if err != nil {
		return nil, err
	}
	r, err := s.app.ImportMunicipalities(ctx, domain.MunicipalityImport{
		FeatureCollection: structIn(req.GetFeatureCollection()), CodeProperty: req.GetCodeProperty(),
		NameProperty: req.GetNameProperty(), ProvinceProperty: req.GetProvinceProperty(), Options: opts,
	})
	if err != nil {
		return nil, err
	}
	return &routingv1.ImportMunicipalitiesResponse{Created: int32(r.Created), Updated: int32(r.Updated),
		Repaired: int32(r.Repaired), Refused: int32(r.Refused), Features: featuresOut(r)}, nil
}
