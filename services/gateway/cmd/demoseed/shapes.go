package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"google.golang.org/protobuf/types/known/structpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
)

// demoShapes are the geometries of the demo municipality.
type demoShapes struct {
	source   string
	boundary *structpb.Struct
	wards    []*routingv1.Team // one water team per ward
	teams    []*routingv1.Team
}

// loadShapes reads the real CPT boundary and wards from dataDir, or
// generates a square city with four wards when dataDir is empty or absent.
func loadShapes(dataDir string) (demoShapes, error) {
	var s demoShapes
	var err error
	muniFile := filepath.Join(dataDir, "mdb2011", "LocalMunicipalities2011.geojson")
	wardFile := filepath.Join(dataDir, "mdb2011", "wards-by-municipality", "wards2011_CPT.geojson")
	if _, statErr := os.Stat(muniFile); dataDir != "" && statErr == nil {
		s.source = "2011 Municipal Demarcation Board boundaries"
		if s.boundary, err = municipalityGeometry(muniFile, "CPT"); err != nil {
			return s, err
		}
		if s.wards, err = wardTeams(wardFile); err != nil {
			return s, err
		}
	} else {
		s.source = "generated square boundary with four wards"
		s.boundary = mustStruct(polygon(-34.20, 18.30, -33.60, 18.90))
		for i, sq := range [][4]float64{
			{-34.20, 18.30, -33.90, 18.60}, {-34.20, 18.60, -33.90, 18.90},
			{-33.90, 18.30, -33.60, 18.60}, {-33.90, 18.60, -33.60, 18.90},
		} {
			s.wards = append(s.wards, waterTeam(fmt.Sprint(i+1), mustStruct(polygon(sq[0], sq[1], sq[2], sq[3]))))
		}
	}
	cityWide := []struct {
		name    string
		cat     commonv1.Category
		saps    bool
		manager string
	}{
		{"Roads and Stormwater", commonv1.Category_CATEGORY_ROADS, false, "mgr-roads"},
		{"Electricity Services", commonv1.Category_CATEGORY_ELECTRICITY, false, "mgr-electricity"},
		{"Solid Waste", commonv1.Category_CATEGORY_WASTE, false, "mgr-waste"},
		{"Sanitation", commonv1.Category_CATEGORY_SANITATION, false, "mgr-sanitation"},
		{"Customer Relations", commonv1.Category_CATEGORY_OTHER, false, "mgr-customer"},
		{"SAPS GBV Liaison", commonv1.Category_CATEGORY_GBV, true, "saps-commander"},
	}
	for _, c := range cityWide {
		s.teams = append(s.teams, &routingv1.Team{
			Tenant: "CPT", Name: c.name, Category: c.cat, IsSaps: c.saps, ManagerId: c.manager,
			Active: true, ServiceArea: s.boundary,
			Members: []*routingv1.TeamMember{{UserId: c.manager + "-crew-1", DisplayName: "Crew 1"}, {UserId: c.manager + "-crew-2", DisplayName: "Crew 2"}},
		})
	}
	return s, nil
}

// municipalityGeometry returns the geometry of the feature whose CAT_B is code.
func municipalityGeometry(path, code string) (*structpb.Struct, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
			Geometry   map[string]any `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, f := range fc.Features {
		if f.Properties["CAT_B"] == code {
			return structpb.NewStruct(f.Geometry)
		}
	}
	return nil, fmt.Errorf("%s: no feature with CAT_B=%s", path, code)
}

// wardTeams reads a ward FeatureCollection into one water team per ward.
func wardTeams(path string) ([]*routingv1.Team, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
			Geometry   map[string]any `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	teams := make([]*routingv1.Team, 0, len(fc.Features))
	for _, f := range fc.Features {
		area, err := structpb.NewStruct(f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		teams = append(teams, waterTeam(fmt.Sprint(f.Properties["WARDNO"]), area))
	}
	return teams, nil
}

// waterTeam is the water team of one ward.
func waterTeam(wardNo string, area *structpb.Struct) *routingv1.Team {
	return &routingv1.Team{
		Tenant: "CPT", Name: "Water ward " + wardNo, Category: commonv1.Category_CATEGORY_WATER,
		ManagerId: "mgr-water-ward-" + wardNo, Active: true, ServiceArea: area,
	}
}

// polygon is a GeoJSON Polygon for the rectangle between two corners.
func polygon(minLat, minLng, maxLat, maxLng float64) map[string]any {
	ring := []any{
		[]any{minLng, minLat}, []any{maxLng, minLat}, []any{maxLng, maxLat}, []any{minLng, maxLat}, []any{minLng, minLat},
	}
	return map[string]any{"type": "Polygon", "coordinates": []any{ring}}
}

func mustStruct(m map[string]any) *structpb.Struct {
	s, err := structpb.NewStruct(m)
	if err != nil {
		panic(fmt.Sprintf("demoseed: generated shape is not a Struct: %v", err))
	}
	return s
}
