package server

import (
	"context"
	"fmt"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/geo"
	"github.com/salga/trustengine/services/routing/internal/app"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// municipalityPatch collects the update-mask paths of
// UpdateMunicipality into an app.MunicipalityPatch.
type municipalityPatch struct {
	app.MunicipalityPatch
}

func (b *municipalityPatch) add(path string, pm *routingv1.Municipality) error {
	switch path {
	case "name":
		if err := checkText(pm.GetName(), "municipality.name", true, 200); err != nil {
			return err
		}
		name := pm.GetName()
		b.Name = &name
	case "province":
		p, err := provinceCode(pm.GetProvince(), "municipality.province")
		if err != nil {
			return err
		}
		b.Province = &p
	case "boundary":
		area, err := geo.ParseArea(structMap(pm.GetBoundary()), "municipality.boundary")
		if err != nil {
			return err
		}
		text := area.JSON()
		b.Boundary = &text
	default:
		return apperr.Invalid("update_mask", fmt.Sprintf("path %q is not one of name, province, boundary", path))
	}
	return nil
}

// ImportMunicipalities implements RoutingService. Platform admins only; all
// features are checked before anything is written, and written in one
// transaction.
func (s *Server) ImportMunicipalities(ctx context.Context, req *routingv1.ImportMunicipalitiesRequest) (*routingv1.ImportMunicipalitiesResponse, error) {
	c, err := require(ctx, auth.RolePlatformAdmin)
	if err != nil {
		return nil, err
	}
	codeProp := or(req.GetCodeProperty(), "CAT_B")
	nameProp := or(req.GetNameProperty(), "MUNICNAME")
	provProp := or(req.GetProvinceProperty(), "PROVINCE")
	features, err := geo.ParseFeatureCollection(structMap(req.GetFeatureCollection()), "feature_collection")
	if err != nil {
		return nil, err
	}
	ms := make([]domain.Municipality, 0, len(features))
	for _, f := range features {
		path := fmt.Sprintf("feature_collection.features[%d].properties.", f.Index)
		code := f.Property(codeProp)
		if err := checkCode(code, path+codeProp); err != nil {
			return nil, err
		}
		name := f.Property(nameProp)
		if err := checkText(name, path+nameProp, true, 200); err != nil {
			return nil, err
		}
		province, err := provinceCode(f.Property(provProp), path+provProp)
		if err != nil {
			return nil, err
		}
		ms = append(ms, domain.Municipality{Code: code, Name: name, Province: province, Boundary: f.Geometry.JSON()})
	}
	created, updated, err := s.app.ImportMunicipalities(ctx, c.scope(), ms)
	if err != nil {
		return nil, err
	}
	return &routingv1.ImportMunicipalitiesResponse{Created: int32(created), Updated: int32(updated)}, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
