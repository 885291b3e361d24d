package main

import (
	"fmt"

	"google.golang.org/protobuf/types/known/structpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
)

// demoShapes are the geometries of the demo municipality: the
// generated ones, or (real set) only the city-wide teams, whose areas are
// the municipality's stored boundary.
type demoShapes struct {
	source   string
	boundary *structpb.Struct
	wards    []*routingv1.Team // one water team per ward (generated shapes)
	teams    []*routingv1.Team
}

// generatedShapes is a square city with four wards, for a suite without
// the repository's data folder (the console's browser suite).
func generatedShapes() demoShapes {
	s := demoShapes{source: "generated square boundary with four wards"}
	s.boundary = mustStruct(polygon(-34.20, 18.30, -33.60, 18.90))
	for i, sq := range [][4]float64{
		{-34.20, 18.30, -33.90, 18.60}, {-34.20, 18.60, -33.90, 18.90},
		{-33.90, 18.30, -33.60, 18.60}, {-33.90, 18.60, -33.60, 18.90},
	} {
		s.wards = append(s.wards, waterTeam(fmt.Sprint(i+1), mustStruct(polygon(sq[0], sq[1], sq[2], sq[3]))))
	}
	s.teams = cityWideTeams(s.boundary)
	return s
}

// cityWideTeams are the teams of the other categories, each covering the
// whole municipality (boundary), and the SAPS GBV liaison team.
func cityWideTeams(boundary *structpb.Struct) []*routingv1.Team {
	var teams []*routingv1.Team
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
		teams = append(teams, &routingv1.Team{
			Tenant: "CPT", Name: c.name, Category: c.cat, IsSaps: c.saps, ManagerId: c.manager,
			Active: true, ServiceArea: boundary,
			Members: []*routingv1.TeamMember{{UserId: c.manager + "-crew-1", DisplayName: "Crew 1"}, {UserId: c.manager + "-crew-2", DisplayName: "Crew 2"}},
		})
	}
	return teams
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
