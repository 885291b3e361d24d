package server

import (
	"context"
	"fmt"

	"google.golang.org/protobuf/types/known/structpb"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/geo"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// CreateMunicipality implements RoutingService. Platform admins only.
func (s *Server) CreateMunicipality(ctx context.Context, req *routingv1.CreateMunicipalityRequest) (*routingv1.CreateMunicipalityResponse, error) {
	c, err := require(ctx, auth.RolePlatformAdmin)
	if err != nil {
		return nil, err
	}
	pm := req.GetMunicipality()
	if pm == nil {
		return nil, apperr.Invalid("municipality", "is required")
	}
	m, err := municipalityFromProto(pm, "municipality")
	if err != nil {
		return nil, err
	}
	out, err := s.app.CreateMunicipality(ctx, c.scope(), m)
	if err != nil {
		return nil, err
	}
	resp, err := municipalityToProto(out)
	if err != nil {
		return nil, fmt.Errorf("server.CreateMunicipality: %w", err)
	}
	return &routingv1.CreateMunicipalityResponse{Municipality: resp}, nil
}

func municipalityFromProto(pm *routingv1.Municipality, field string) (domain.Municipality, error) {
	if err := checkCode(pm.GetCode(), field+".code"); err != nil {
		return domain.Municipality{}, err
	}
	if err := checkText(pm.GetName(), field+".name", true, 200); err != nil {
		return domain.Municipality{}, err
	}
	province, err := provinceCode(pm.GetProvince(), field+".province")
	if err != nil {
		return domain.Municipality{}, err
	}
	area, err := geo.ParseArea(structMap(pm.GetBoundary()), field+".boundary")
	if err != nil {
		return domain.Municipality{}, err
	}
	return domain.Municipality{Code: pm.GetCode(), Name: pm.GetName(), Province: province, Boundary: area.JSON()}, nil
}

// structMap returns a Struct as a plain map, nil for a nil Struct.
func structMap(s *structpb.Struct) map[string]any {
	if s == nil {
		return nil
	}
	return s.AsMap()
}

// UpdateMunicipality implements RoutingService. Platform admins only.
func (s *Server) UpdateMunicipality(ctx context.Context, req *routingv1.UpdateMunicipalityRequest) (*routingv1.UpdateMunicipalityResponse, error) {
	c, err := require(ctx, auth.RolePlatformAdmin)
	if err != nil {
		return nil, err
	}
	pm := req.GetMunicipality()
	code, err := pathID(req.GetCode(), pm.GetCode(), "code", "municipality.code")
	if err != nil {
		return nil, err
	}
	if err := checkCode(code, "code"); err != nil {
		return nil, err
	}
	paths := req.GetUpdateMask().GetPaths()
	if len(paths) == 0 {
		paths = []string{"name", "province", "boundary"}
	}
	var patch municipalityPatch
	for _, p := range paths {
		if err := patch.add(p, pm); err != nil {
			return nil, err
		}
	}
	out, err := s.app.UpdateMunicipality(ctx, c.scope(), code, patch.MunicipalityPatch)
	if err != nil {
		return nil, err
	}
	resp, err := municipalityToProto(out)
	if err != nil {
		return nil, fmt.Errorf("server.UpdateMunicipality: %w", err)
	}
	return &routingv1.UpdateMunicipalityResponse{Municipality: resp}, nil
}

// GetMunicipality implements RoutingService. Any authenticated caller.
func (s *Server) GetMunicipality(ctx context.Context, req *routingv1.GetMunicipalityRequest) (*routingv1.GetMunicipalityResponse, error) {
	c, err := callerFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkCode(req.GetCode(), "code"); err != nil {
		return nil, err
	}
	m, err := s.app.GetMunicipality(ctx, c.scope(), req.GetCode())
	if err != nil {
		return nil, err
	}
	resp, err := municipalityToProto(m)
	if err != nil {
		return nil, fmt.Errorf("server.GetMunicipality: %w", err)
	}
	return &routingv1.GetMunicipalityResponse{Municipality: resp}, nil
}

// ListMunicipalities implements RoutingService. Any authenticated caller.
func (s *Server) ListMunicipalities(ctx context.Context, req *routingv1.ListMunicipalitiesRequest) (*routingv1.ListMunicipalitiesResponse, error) {
	c, err := callerFrom(ctx)
	if err != nil {
		return nil, err
	}
	province, err := provinceCode(req.GetProvince(), "province")
	if err != nil {
		return nil, err
	}
	page, err := pageOf(req.GetPageSize(), req.GetPageToken(), 100, 500)
	if err != nil {
		return nil, err
	}
	ms, err := s.app.ListMunicipalities(ctx, c.scope(), province, req.GetIncludeBoundary(), page)
	if err != nil {
		return nil, err
	}
	ms, next := nextToken(ms, page)
	resp := &routingv1.ListMunicipalitiesResponse{NextPageToken: next}
	for _, m := range ms {
		pm, err := municipalityToProto(m)
		if err != nil {
			return nil, fmt.Errorf("server.ListMunicipalities: %w", err)
		}
		resp.Municipalities = append(resp.Municipalities, pm)
	}
	return resp, nil
}

// ResolveJurisdiction implements RoutingService. Any authenticated caller
// (citizen apps use it to pick the tenant of a report).
func (s *Server) ResolveJurisdiction(ctx context.Context, req *routingv1.ResolveJurisdictionRequest) (*routingv1.ResolveJurisdictionResponse, error) {
	c, err := callerFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkWorldLocation(req.GetLocation(), "location"); err != nil {
		return nil, err
	}
	m, err := s.app.ResolveJurisdiction(ctx, c.scope(), req.GetLocation().GetLatitude(), req.GetLocation().GetLongitude())
	if err != nil {
		return nil, err
	}
	resp, err := municipalityToProto(m)
	if err != nil {
		return nil, fmt.Errorf("server.ResolveJurisdiction: %w", err)
	}
	return &routingv1.ResolveJurisdictionResponse{Municipality: resp}, nil
}
