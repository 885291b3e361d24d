package server

import (
	"context"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ImportBoundarySet implements RoutingService.
func (s *Server) ImportBoundarySet(ctx context.Context, req *routingv1.ImportBoundarySetRequest) (*routingv1.ImportBoundarySetResponse, error) {
	in := domain.BoundarySetImport{Tenant: req.GetTenant(), FeatureCollection: structIn(req.GetFeatureCollection()),
		CodeProperty: req.GetCodeProperty(), LabelProperty: req.GetLabelProperty(), Source: req.GetSource(),
		MergedFrom: req.GetMergedFrom(), TeamNamePrefix: req.GetTeamNamePrefix()}
	if req.GetEffectiveTime() != nil {
		if err := req.GetEffectiveTime().CheckValid(); err != nil {
			return nil, apperr.Invalid("effective_time", "must be a valid timestamp")
		}
		in.EffectiveAt = req.GetEffectiveTime().AsTime()
	}
	if req.GetTeamCategory() != 0 {
		cat, err := categoryIn(req.GetTeamCategory(), "team_category")
		if err != nil {
			return nil, err
		}
		in.TeamCategory = cat
	}
	b, err := s.app.ImportBoundarySet(ctx, in)
	if err != nil {
		return nil, err
	}
	return &routingv1.ImportBoundarySetResponse{BoundarySet: boundarySetOut(b)}, nil
}

// ListBoundarySets implements RoutingService.
func (s *Server) ListBoundarySets(ctx context.Context, req *routingv1.ListBoundarySetsRequest) (*routingv1.ListBoundarySetsResponse, error) {
	sets, err := s.app.ListBoundarySets(ctx, domain.BoundarySetList{Tenant: req.GetTenant()})
	if err != nil {
		return nil, err
	}
	out := &routingv1.ListBoundarySetsResponse{}
	for _, b := range sets {
		out.BoundarySets = append(out.BoundarySets, boundarySetOut(b))
	}
	return out, nil
}
