package server_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/auth"
)

// cityHall, Khayelitsha and Durbanville are in 2011 wards 77, 97 and 21.
var (
	cityHall    = &commonv1.LatLng{Latitude: -33.9253, Longitude: 18.4239}
	khayelitsha = &commonv1.LatLng{Latitude: -34.0403, Longitude: 18.6770}
	airport     = &commonv1.LatLng{Latitude: -33.9715, Longitude: 18.6021}
)

// capeTown imports the shipped Cape Town municipality.
func (e *env) capeTown() {
	e.t.Helper()
	cpt := shippedCollection(e.t, "municipalities2011.geojson.gz", func(p map[string]any) bool { return p["CAT_B"] == "CPT" })
	_, err := e.public.ImportMunicipalities(platform(e.t), &routingv1.ImportMunicipalitiesRequest{FeatureCollection: toStruct(e.t, cpt)})
	require.NoError(e.t, err)
}

// coverage asks for the category's coverage of CPT as an agent.
func (e *env) coverage(cat commonv1.Category) *routingv1.Coverage {
	e.t.Helper()
	resp, err := e.public.GetCoverage(as(e.t, "CPT", "agent-1", auth.RoleAgent), &routingv1.GetCoverageRequest{Category: cat})
	require.NoError(e.t, err)
	return resp.GetCoverage()
}

func TestCoverageOfCapeTownWardTeamsShowsTheOmittedWardsAndTheOverlaps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.capeTown()
	omitted := map[int]bool{77: true, 97: true, 21: true}
	all := e.madeValid(shippedCollection(t, "wards2011_CPT.geojson.gz", nil))
	require.Len(t, all["features"], 111)
	var kept, left []any
	omittedSqKm := 0.0
	for _, f := range all["features"].([]any) {
		if omitted[wardNo(f.(map[string]any)["properties"].(map[string]any))] {
			left = append(left, f)
			omittedSqKm += e.sqKm(f.(map[string]any)["geometry"])
			continue
		}
		kept = append(kept, f)
	}
	importWards := func(features []any) {
		_, err := e.public.ImportTeams(admin(t, "CPT"), &routingv1.ImportTeamsRequest{Category: water, NameProperty: "WARDNO",
			NamePrefix: "Water ward ", FeatureCollection: toStruct(t, map[string]any{"type": "FeatureCollection", "features": features})})
		require.NoError(t, err)
	}

	// No team at all: the whole municipality is the gap.
	none := e.coverage(water)
	require.InDelta(t, 2446, none.GetMunicipalityAreaSqKm(), 10, "the City of Cape Town is about 2,446 km²")
	require.Zero(t, none.GetTeamCount())
	require.InDelta(t, none.GetMunicipalityAreaSqKm(), none.GetGapAreaSqKm(), 1e-6)
	require.InDelta(t, 100, none.GetGapPercent(), 1e-9)

	importWards(kept)
	partial := e.coverage(water)
	require.EqualValues(t, 108, partial.GetTeamCount())
	require.NotNil(t, partial.GetGap())
	require.Empty(t, partial.GetOverlaps(), "2011 wards do not overlap one another")
	require.InDelta(t, 100*partial.GetGapAreaSqKm()/partial.GetMunicipalityAreaSqKm(), partial.GetGapPercent(), 1e-9)

	// The gap holds the omitted wards' places and not the covered ones.
	gap, err := json.Marshal(partial.GetGap().AsMap())
	require.NoError(t, err)
	for _, p := range []struct {
		at     *commonv1.LatLng
		inside bool
	}{{cityHall, true}, {khayelitsha, true}, {airport, false}} {
		var covered bool
		require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326),
			ST_SetSRID(ST_MakePoint($2, $3), 4326))`, string(gap), p.at.GetLongitude(), p.at.GetLatitude()).Scan(&covered))
		require.Equal(t, p.inside, covered, "%v in the gap", p.at)
	}

	// ExplainRoute says when a point lies in the gap.
	explain := func(at *commonv1.LatLng) *routingv1.RouteDecision {
		resp, err := e.public.ExplainRoute(as(t, "CPT", "agent-1", auth.RoleAgent), &routingv1.ExplainRouteRequest{Location: at, Category: water})
		require.NoError(t, err)
		return resp.GetDecision()
	}
	inGap := explain(cityHall)
	require.True(t, inGap.GetInCoverageGap())
	require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_FALLBACK_NEAREST, inGap.GetReason())
	require.Contains(t, inGap.GetExplanation(), "coverage gap")
	covered := explain(airport)
	require.False(t, covered.GetInCoverageGap())
	require.Equal(t, "Water ward 24", covered.GetTeamName())
	require.NotContains(t, covered.GetExplanation(), "coverage gap")

	// With every ward the gap is only the slivers between the separately
	// simplified ward and municipality layers; the omitted wards account
	// for the rest of the partial gap.
	importWards(left)
	full := e.coverage(water)
	require.EqualValues(t, 111, full.GetTeamCount())
	require.Less(t, full.GetGapPercent(), 0.5, "the 2011 wards cover Cape Town but for slivers")
	t.Logf("gap with 108 wards %.3f km² (%.3f%%), with all 111 %.3f km² (%.3f%%), omitted wards %.3f km²",
		partial.GetGapAreaSqKm(), partial.GetGapPercent(), full.GetGapAreaSqKm(), full.GetGapPercent(), omittedSqKm)
	require.InDelta(t, omittedSqKm, partial.GetGapAreaSqKm()-full.GetGapAreaSqKm(), 0.01*omittedSqKm,
		"the gap grows by the omitted wards' area")
	require.False(t, explain(cityHall).GetInCoverageGap())

	// A city-centre team over ward 77 and its neighbours overlaps them; the
	// smaller area wins there, as routing chooses.
	cbd := e.team("CPT", &routingv1.Team{Name: "Water CBD", Category: water, Active: true,
		ServiceArea: square(18.41, -33.935, 18.44, -33.915)})
	withCBD := e.coverage(water)
	require.EqualValues(t, 112, withCBD.GetTeamCount())
	require.NotEmpty(t, withCBD.GetOverlaps())
	var ward77 *routingv1.CoverageOverlap
	for _, o := range withCBD.GetOverlaps() {
		require.Len(t, o.GetTeams(), 2)
		names := []string{o.GetTeams()[0].GetTeamName(), o.GetTeams()[1].GetTeamName()}
		require.Contains(t, names, "Water CBD", "only the CBD team overlaps another")
		require.True(t, o.GetTeams()[0].GetChosen())
		require.False(t, o.GetTeams()[1].GetChosen())
		require.LessOrEqual(t, o.GetTeams()[0].GetAreaSqKm(), o.GetTeams()[1].GetAreaSqKm())
		require.Contains(t, o.GetTieBreak(), "smallest service area wins, then the lowest team id")
		require.Contains(t, names, o.GetTeams()[0].GetTeamName())
		if names[0] == "Water ward 77" || names[1] == "Water ward 77" {
			ward77 = o
		}
	}
	require.NotNil(t, ward77, "the CBD team overlaps ward 77")
	var ward77Geom any
	for _, f := range left {
		if wardNo(f.(map[string]any)["properties"].(map[string]any)) == 77 {
			ward77Geom = f.(map[string]any)["geometry"]
		}
	}
	w77, err := json.Marshal(ward77Geom)
	require.NoError(t, err)
	var want float64
	require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT ST_Area(ST_Intersection(
		ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326), ST_MakeEnvelope(18.41, -33.935, 18.44, -33.915, 4326))::geography) / 1e6`,
		string(w77)).Scan(&want))
	require.Greater(t, want, 0.1)
	require.InDelta(t, want, ward77.GetAreaSqKm(), 1e-3)
	decision := explain(cityHall)
	require.Equal(t, ward77.GetTeams()[0].GetTeamName(), decision.GetTeamName(), "routing chooses the team the overlap names")
	require.Contains(t, ward77.GetTieBreak(), ward77.GetTeams()[0].GetTeamName())

	// GBV coverage is the SAPS teams'; the water teams leave it all a gap,
	// and a SAPS team counts for GBV only.
	require.InDelta(t, 100, e.coverage(gbv).GetGapPercent(), 1e-9)
	e.team("CPT", &routingv1.Team{Name: "SAPS CBD", Category: commonv1.Category_CATEGORY_OTHER, IsSaps: true, Active: true,
		ServiceArea: square(18.41, -33.935, 18.44, -33.915)})
	g := e.coverage(gbv)
	require.EqualValues(t, 1, g.GetTeamCount())
	var onLand float64
	require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT ST_Area(ST_Intersection(boundary,
		ST_MakeEnvelope(18.41, -33.935, 18.44, -33.915, 4326))::geography) / 1e6 FROM routing.municipalities WHERE code = 'CPT'`).Scan(&onLand))
	require.Less(t, onLand, cbd.GetAreaSqKm(), "part of the square is in Table Bay")
	require.InDelta(t, onLand, g.GetMunicipalityAreaSqKm()-g.GetGapAreaSqKm(), 0.001, "the SAPS team covers its square's land")
	require.EqualValues(t, 112, e.coverage(water).GetTeamCount(), "a SAPS team is no water team")
}

func TestCoverageIsReadLikeTeams(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	e.municipality("OTH")
	e.team("TST", &routingv1.Team{Name: "Water west", Category: water, Active: true, ServiceArea: square(25, -30, 25.6, -29)})
	e.team("TST", &routingv1.Team{Name: "Water east", Category: water, Active: true, ServiceArea: square(25.5, -30, 26, -29)})
	for _, role := range []string{auth.RoleAgent, auth.RoleTeamManager, auth.RoleMunicipalAdmin, auth.RoleSAPSLiaison} {
		resp, err := e.public.GetCoverage(as(t, "TST", "u", role), &routingv1.GetCoverageRequest{Category: water})
		require.NoError(t, err, role)
		c := resp.GetCoverage()
		require.Equal(t, "TST", c.GetTenant())
		require.Nil(t, c.GetGap(), "two teams cover the whole box")
		require.Zero(t, c.GetGapAreaSqKm())
		require.Len(t, c.GetOverlaps(), 1)
		require.Equal(t, "Water east", c.GetOverlaps()[0].GetTeams()[0].GetTeamName(), "the smaller area wins")
	}
	_, err := e.public.GetCoverage(platform(t), &routingv1.GetCoverageRequest{Tenant: "TST", Category: water})
	require.NoError(t, err)
	_, err = e.public.GetCoverage(service(t), &routingv1.GetCoverageRequest{Category: water})
	require.NoError(t, err)

	refusals := []struct {
		name string
		ctx  context.Context
		req  *routingv1.GetCoverageRequest
		code codes.Code
		frag string
	}{
		{"a citizen may not read coverage", as(t, "TST", "c", auth.RoleCitizen), &routingv1.GetCoverageRequest{Category: water}, codes.PermissionDenied, ""},
		{"another tenant's staff may not name TST", as(t, "OTH", "a", auth.RoleAgent), &routingv1.GetCoverageRequest{Tenant: "TST", Category: water}, codes.PermissionDenied, "municipality TST"},
		{"the category is required", as(t, "TST", "a", auth.RoleAgent), &routingv1.GetCoverageRequest{}, codes.InvalidArgument, "category"},
		{"an unknown category number is refused", as(t, "TST", "a", auth.RoleAgent), &routingv1.GetCoverageRequest{Category: 99}, codes.InvalidArgument, "category"},
		{"a tenant without a municipality is not found", platform(t), &routingv1.GetCoverageRequest{Tenant: "NONE", Category: water}, codes.NotFound, "municipality"},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			_, err := e.public.GetCoverage(r.ctx, r.req)
			requireCode(t, err, r.code, r.frag)
		})
	}
}
