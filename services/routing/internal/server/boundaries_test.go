package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/auth"
)

// election2011 is the date the 2011 wards came into force.
var election2011 = time.Date(2011, 5, 18, 0, 0, 0, 0, time.UTC)

// ward is a ward feature for a derived boundary set.
func ward(code string, label int, geometry any) map[string]any {
	return map[string]any{"type": "Feature", "properties": map[string]any{"WARD": code, "WARDNO": float64(label)},
		"geometry": geometry}
}

// sql runs a PostGIS expression over GeoJSON arguments and returns the
// GeoJSON result.
func (e *env) geoJSON(expr string, args ...any) map[string]any {
	e.t.Helper()
	texts := make([]any, len(args))
	for i, a := range args {
		b, err := json.Marshal(a)
		require.NoError(e.t, err)
		texts[i] = string(b)
	}
	var out string
	require.NoError(e.t, e.pool.QueryRow(context.Background(), `SELECT ST_AsGeoJSON(`+expr+`)`, texts...).Scan(&out))
	var m map[string]any
	require.NoError(e.t, json.Unmarshal([]byte(out), &m))
	return m
}

// g is the PostGIS geometry of GeoJSON parameter n.
func g(n int) string { return fmt.Sprintf("ST_SetSRID(ST_GeomFromGeoJSON($%d::text), 4326)", n) }

func TestRedemarcationOfCapeTownWardsMovesWardTeamsOnTheEffectiveDate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.capeTown()
	cptAdmin := admin(t, "CPT")
	agent := as(t, "CPT", "agent-1", auth.RoleAgent)

	// Version 1: the official 2011 wards as shipped, four of them with
	// self-touching rings, which the import stores repaired.
	v1Wards := shippedCollection(t, "wards2011_CPT.geojson.gz", nil)
	v1, err := e.public.ImportBoundarySet(cptAdmin, &routingv1.ImportBoundarySetRequest{
		EffectiveTime: timestamppb.New(election2011), FeatureCollection: toStruct(t, v1Wards),
		Source: "MDB 2011 wards", TeamCategory: water, TeamNamePrefix: "Water ward "})
	require.NoError(t, err)
	set1 := v1.GetBoundarySet()
	require.EqualValues(t, 1, set1.GetVersion())
	require.EqualValues(t, 111, set1.GetWardCount())
	require.NotNil(t, set1.GetApplyTime(), "a set already in force applies at once")
	r1 := set1.GetReport()
	require.Zero(t, r1.GetPreviousVersion())
	require.Len(t, r1.GetAdded(), 111)
	require.Empty(t, r1.GetRemoved())
	require.Len(t, r1.GetRepaired(), 4, "four 2011 Cape Town wards have self-touching rings")
	require.Contains(t, r1.GetRepaired()[0].GetReason(), "Self-intersection")
	require.True(t, r1.GetTeams().GetApplied())
	require.EqualValues(t, 111, r1.GetTeams().GetCreated())

	// Wards by number, and the places used below.
	byNo := map[int]map[string]any{}
	for _, f := range v1Wards["features"].([]any) {
		fm := f.(map[string]any)
		byNo[wardNo(fm["properties"].(map[string]any))] = fm
	}
	code := func(no int) string { return byNo[no]["properties"].(map[string]any)["WARD"].(string) }
	geom := func(no int) any { return byNo[no]["geometry"] }
	explain := func(at *commonv1.LatLng) *routingv1.RouteDecision {
		resp, err := e.public.ExplainRoute(agent, &routingv1.ExplainRouteRequest{Location: at, Category: water})
		require.NoError(t, err)
		return resp.GetDecision()
	}
	require.Equal(t, code(77), explain(cityHall).GetWardCode())
	require.Equal(t, "Water ward 77", explain(cityHall).GetTeamName())
	require.Contains(t, explain(cityHall).GetExplanation(), "ward "+code(77))

	// A derived version 2: ward 24 is split in two (its east half becomes
	// ward 112), ward 77 absorbs a neighbour (found below), and the
	// border between wards 97 and a neighbour shifts by about 500 m.
	neighbour := func(of int, not ...int) int {
		var no int
		skip := append([]int{of}, not...)
		require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT w.no FROM (SELECT (f->'properties'->>'WARDNO')::int AS no,
			ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4326) AS g FROM jsonb_array_elements($1::jsonb) f) w
			WHERE ST_IsValid(w.g) AND w.no <> ALL ($3) AND ST_Length(ST_CollectionExtract(ST_Intersection(w.g,
			ST_SetSRID(ST_GeomFromGeoJSON($2::text), 4326)), 2)::geography) > 500 ORDER BY w.no LIMIT 1`,
			mustJSON(t, v1Wards["features"]), mustJSON(t, geom(of)), skip).Scan(&no))
		return no
	}
	const split, merger, shifted = 24, 77, 97
	absorbed := neighbour(merger, split, shifted)
	giver := neighbour(shifted, split, merger, absorbed)
	t.Logf("split ward %d, ward %d absorbs ward %d, ward %d takes a strip of ward %d", split, merger, absorbed, shifted, giver)
	west := e.geoJSON(`ST_Multi(ST_Intersection(`+g(1)+`, ST_MakeEnvelope(0, -90, ST_X(ST_Centroid(`+g(1)+`)), 0, 4326)))`, geom(split))
	east := e.geoJSON(`ST_Multi(ST_Difference(`+g(1)+`, `+g(2)+`))`, geom(split), west)
	merged := e.geoJSON(`ST_Multi(ST_Union(`+g(1)+`, `+g(2)+`))`, geom(merger), geom(absorbed))
	strip := e.geoJSON(`ST_Multi(ST_CollectionExtract(ST_Intersection(`+g(2)+`, ST_Buffer(`+g(1)+`::geography, 500)::geometry), 3))`,
		geom(shifted), geom(giver))
	grown := e.geoJSON(`ST_Multi(ST_Union(`+g(1)+`, `+g(2)+`))`, geom(shifted), strip)
	shrunk := e.geoJSON(`ST_Multi(ST_CollectionExtract(ST_Difference(`+g(1)+`, `+g(2)+`), 3))`, geom(giver), strip)
	var v2 []any
	for no := 1; no <= 111; no++ {
		switch no {
		case split:
			v2 = append(v2, ward(code(no), no, west), ward("19100112", 112, east))
		case merger:
			v2 = append(v2, ward(code(no), no, merged))
		case absorbed:
		case shifted:
			v2 = append(v2, ward(code(no), no, grown))
		case giver:
			v2 = append(v2, ward(code(no), no, shrunk))
		default:
			v2 = append(v2, byNo[no])
		}
	}
	// Points: one in the east half of the split ward, one in the absorbed
	// ward, one in the strip that changes hands.
	point := func(geometry any) *commonv1.LatLng {
		var lng, lat float64
		require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(`+g(1)+`) AS p) x`,
			mustJSON(t, geometry)).Scan(&lng, &lat))
		return &commonv1.LatLng{Latitude: lat, Longitude: lng}
	}
	inEast, inAbsorbed, inStrip := point(east), point(geom(absorbed)), point(strip)

	// Import version 2 to come into force in a moment: the report lists
	// what changes and predicts what the teams will do; nothing moves yet.
	effective := time.Now().Add(15 * time.Second).Truncate(time.Millisecond)
	v2Resp, err := e.public.ImportBoundarySet(cptAdmin, &routingv1.ImportBoundarySetRequest{
		EffectiveTime: timestamppb.New(effective), FeatureCollection: toStruct(t, map[string]any{"type": "FeatureCollection", "features": v2}),
		Source: "derived 2016", TeamCategory: water, TeamNamePrefix: "Water ward "})
	require.NoError(t, err)
	set2 := v2Resp.GetBoundarySet()
	require.EqualValues(t, 2, set2.GetVersion())
	require.EqualValues(t, 111, set2.GetWardCount())
	require.Nil(t, set2.GetApplyTime())
	r2 := set2.GetReport()
	require.EqualValues(t, 1, r2.GetPreviousVersion())
	require.Len(t, r2.GetAdded(), 1)
	require.Equal(t, "19100112", r2.GetAdded()[0].GetCode())
	require.Len(t, r2.GetRemoved(), 1)
	require.Equal(t, code(absorbed), r2.GetRemoved()[0].GetCode())
	require.Equal(t, "CPT", r2.GetRemoved()[0].GetMunicipality())
	require.Len(t, r2.GetChanged(), 4, "the split, the merger and both sides of the shift")
	require.EqualValues(t, 106, r2.GetUnchanged())
	require.Len(t, r2.GetRepaired(), 4, "the unchanged invalid 2011 wards are repaired again, the derived ones are valid")
	changed := map[string]*routingv1.WardChange{}
	for _, c := range r2.GetChanged() {
		changed[c.GetCode()] = c
		require.Greater(t, c.GetShapeChangePercent(), 0.0, c.GetCode())
	}
	pct := func(before, after any) float64 { return 100 * (e.sqKm(after) - e.sqKm(before)) / e.sqKm(before) }
	for no, want := range map[int]float64{split: pct(geom(split), west), merger: pct(geom(merger), merged),
		shifted: pct(geom(shifted), grown), giver: pct(geom(giver), shrunk)} {
		require.Contains(t, changed, code(no))
		require.InDelta(t, want, changed[code(no)].GetAreaChangePercent(), 1e-6, "ward %d", no)
	}
	require.Less(t, changed[code(split)].GetAreaChangePercent(), -10.0, "the split ward lost its east half")
	require.Greater(t, changed[code(merger)].GetAreaChangePercent(), 10.0, "the merger grew")
	require.InDelta(t, e.sqKm(geom(absorbed)), r2.GetRemoved()[0].GetOldAreaSqKm(), 1e-6)
	teams := r2.GetTeams()
	require.False(t, teams.GetApplied())
	require.EqualValues(t, 110, teams.GetFollowing())
	require.EqualValues(t, 1, teams.GetCreated())
	require.Len(t, teams.GetRetired(), 1)
	require.Equal(t, fmt.Sprintf("Water ward %d", absorbed), teams.GetRetired()[0].GetTeamName())

	// Before the effective date the 2011 wards rule.
	require.True(t, time.Now().Before(effective), "the checks before the effective date ran in time")
	before := e.route("CPT", water, inAbsorbed.GetLatitude(), inAbsorbed.GetLongitude())
	require.Equal(t, code(absorbed), before.GetDecision().GetWardCode())
	require.Equal(t, fmt.Sprintf("Water ward %d", absorbed), before.GetAssignment().GetTeamName())
	require.Equal(t, code(split), explain(inEast).GetWardCode())
	require.True(t, time.Now().Before(effective), "the checks before the effective date ran in time")

	// The effective date passes: the sweep moves the teams.
	n, err := e.app.ApplyDueBoundarySets(context.Background())
	require.NoError(t, err)
	require.Zero(t, n, "not before its time")
	time.Sleep(time.Until(effective) + 50*time.Millisecond)
	n, err = e.app.ApplyDueBoundarySets(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	n, err = e.app.ApplyDueBoundarySets(context.Background())
	require.NoError(t, err)
	require.Zero(t, n, "each set applies once")

	list, err := e.public.ListBoundarySets(agent, &routingv1.ListBoundarySetsRequest{})
	require.NoError(t, err)
	require.Len(t, list.GetBoundarySets(), 2)
	applied := list.GetBoundarySets()[1]
	require.NotNil(t, applied.GetApplyTime())
	require.True(t, applied.GetReport().GetTeams().GetApplied())
	require.EqualValues(t, 110, applied.GetReport().GetTeams().GetFollowing())
	require.EqualValues(t, 1, applied.GetReport().GetTeams().GetCreated())
	require.Len(t, applied.GetReport().GetTeams().GetRetired(), 1)

	// Teams followed their ward codes.
	after := e.route("CPT", water, inAbsorbed.GetLatitude(), inAbsorbed.GetLongitude())
	require.Equal(t, code(merger), after.GetDecision().GetWardCode())
	require.Equal(t, fmt.Sprintf("Water ward %d", merger), after.GetAssignment().GetTeamName())
	require.Equal(t, "Water ward 112", explain(inEast).GetTeamName())
	require.Equal(t, "19100112", explain(inEast).GetWardCode())
	require.Equal(t, fmt.Sprintf("Water ward %d", shifted), explain(inStrip).GetTeamName())
	all, err := e.public.ListTeams(agent, &routingv1.ListTeamsRequest{IncludeInactive: true, PageSize: 500})
	require.NoError(t, err)
	require.Len(t, all.GetTeams(), 112)
	for _, tm := range all.GetTeams() {
		switch tm.GetName() {
		case fmt.Sprintf("Water ward %d", absorbed):
			require.False(t, tm.GetActive(), "left without a ward")
			require.True(t, effective.Equal(tm.GetWardRetireTime().AsTime()), "retired on the effective date")
			require.Equal(t, code(absorbed), tm.GetWardCode())
		case fmt.Sprintf("Water ward %d", split):
			require.True(t, tm.GetActive())
			require.InDelta(t, e.sqKm(west), tm.GetAreaSqKm(), 1e-6)
		default:
			require.True(t, tm.GetActive(), tm.GetName())
			require.Nil(t, tm.GetWardRetireTime())
		}
	}

	// The ticket routed before keeps the ward it was routed in.
	again, err := e.internal.RouteTicket(serviceFor(t, "CPT"), &routingv1.RouteTicketRequest{Tenant: "CPT",
		TicketId: before.GetAssignment().GetTicketId(), Category: water, Location: inAbsorbed})
	require.NoError(t, err)
	require.Equal(t, code(absorbed), again.GetDecision().GetWardCode())
	require.Equal(t, before.GetAssignment().GetId(), again.GetAssignment().GetId())

	// A ticket created before the effective date but routed after it goes to
	// today's team and keeps the ward it was created in.
	late, err := e.internal.RouteTicket(serviceFor(t, "CPT"), &routingv1.RouteTicketRequest{Tenant: "CPT",
		TicketId: uuid.NewString(), Category: water, Location: inAbsorbed,
		CreateTime: timestamppb.New(effective.Add(-time.Minute))})
	require.NoError(t, err)
	require.Equal(t, code(absorbed), late.GetDecision().GetWardCode())
	require.Equal(t, fmt.Sprintf("Water ward %d", merger), late.GetAssignment().GetTeamName())
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestABadBoundarySetIsRefusedAndChangesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	e.municipality("OTH")
	box := square(25.1, -29.9, 25.4, -29.6).AsMap()
	fc := func(features ...any) map[string]any {
		return map[string]any{"type": "FeatureCollection", "features": features}
	}
	good := fc(ward("10000001", 1, box))
	_, err := e.public.ImportBoundarySet(admin(t, "TST"), &routingv1.ImportBoundarySetRequest{
		EffectiveTime: timestamppb.New(election2011), FeatureCollection: toStruct(t, good)})
	require.NoError(t, err)
	before := e.count(`SELECT count(*) FROM routing.boundary_sets`) + e.count(`SELECT count(*) FROM routing.boundary_wards`)
	later := timestamppb.New(election2011.AddDate(5, 0, 0))
	bow := map[string]any{"type": "Polygon", "coordinates": []any{[]any{[]any{25.1, -29.9}, []any{25.2, -29.8},
		[]any{25.2, -29.9}, []any{25.1, -29.8}, []any{25.1, -29.9}}}}
	noCode := map[string]any{"type": "Feature", "properties": map[string]any{"WARDNO": 1.0}, "geometry": box}
	tests := []struct {
		name string
		ctx  context.Context
		req  *routingv1.ImportBoundarySetRequest
		code codes.Code
		frag []string
	}{
		{"the effective time is required", admin(t, "TST"), &routingv1.ImportBoundarySetRequest{FeatureCollection: toStruct(t, good)},
			codes.InvalidArgument, []string{"effective_time", "required"}},
		{"a version must come after the last", admin(t, "TST"), &routingv1.ImportBoundarySetRequest{
			EffectiveTime: timestamppb.New(election2011), FeatureCollection: toStruct(t, good)},
			codes.InvalidArgument, []string{"effective_time", "after 2011-05-18T00:00:00Z, when version 1"}},
		{"a feature without a code is named", admin(t, "TST"), &routingv1.ImportBoundarySetRequest{
			EffectiveTime: later, FeatureCollection: toStruct(t, fc(ward("10000001", 1, box), noCode))},
			codes.InvalidArgument, []string{"feature_collection.features[1].properties.WARD"}},
		{"a code twice is refused", admin(t, "TST"), &routingv1.ImportBoundarySetRequest{
			EffectiveTime: later, FeatureCollection: toStruct(t, fc(ward("10000001", 1, box), ward("10000001", 2, box)))},
			codes.InvalidArgument, []string{"features[1].properties.WARD", "already feature 0"}},
		{"a shape with nothing polygonal once repaired is refused", admin(t, "TST"), &routingv1.ImportBoundarySetRequest{
			EffectiveTime: later, FeatureCollection: toStruct(t, fc(ward("10000001", 1, map[string]any{"type": "Polygon",
				"coordinates": []any{[]any{[]any{25.1, -29.9}, []any{25.2, -29.9}, []any{25.3, -29.9}, []any{25.1, -29.9}}}})))},
			codes.InvalidArgument, []string{"features[0].geometry", "no area"}},
		{"GBV teams are not built from wards", admin(t, "TST"), &routingv1.ImportBoundarySetRequest{
			EffectiveTime: later, FeatureCollection: toStruct(t, good), TeamCategory: gbv},
			codes.InvalidArgument, []string{"team_category", "SAPS"}},
		{"a municipality does not absorb itself", platform(t), &routingv1.ImportBoundarySetRequest{Tenant: "TST",
			EffectiveTime: later, FeatureCollection: toStruct(t, good), MergedFrom: []string{"TST"}},
			codes.InvalidArgument, []string{"merged_from[0]"}},
		{"an unknown absorbed municipality is named", platform(t), &routingv1.ImportBoundarySetRequest{Tenant: "TST",
			EffectiveTime: later, FeatureCollection: toStruct(t, good), MergedFrom: []string{"NOPE"}},
			codes.InvalidArgument, []string{"merged_from[0]", "NOPE"}},
		{"a municipal admin may not merge municipalities", admin(t, "TST"), &routingv1.ImportBoundarySetRequest{
			EffectiveTime: later, FeatureCollection: toStruct(t, good), MergedFrom: []string{"OTH"}},
			codes.PermissionDenied, []string{"merged_from"}},
		{"an agent may not import", as(t, "TST", "a", auth.RoleAgent), &routingv1.ImportBoundarySetRequest{
			EffectiveTime: later, FeatureCollection: toStruct(t, good)}, codes.PermissionDenied, nil},
		{"another municipality's admin may not import", admin(t, "OTH"), &routingv1.ImportBoundarySetRequest{Tenant: "TST",
			EffectiveTime: later, FeatureCollection: toStruct(t, good)}, codes.PermissionDenied, []string{"TST"}},
		{"an unknown municipality is not found", platform(t), &routingv1.ImportBoundarySetRequest{Tenant: "NONE",
			EffectiveTime: later, FeatureCollection: toStruct(t, good)}, codes.NotFound, []string{"municipality"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.public.ImportBoundarySet(tc.ctx, tc.req)
			requireCode(t, err, tc.code, tc.frag...)
		})
	}
	// A self-touching ring is official data: stored repaired, reported.
	resp, err := e.public.ImportBoundarySet(admin(t, "TST"), &routingv1.ImportBoundarySetRequest{
		EffectiveTime: later, FeatureCollection: toStruct(t, fc(ward("10000001", 1, bow)))})
	require.NoError(t, err)
	require.Len(t, resp.GetBoundarySet().GetReport().GetRepaired(), 1)
	require.Equal(t, before+2, e.count(`SELECT count(*) FROM routing.boundary_sets`)+e.count(`SELECT count(*) FROM routing.boundary_wards`),
		"the refused imports left nothing; the last one added a set and its ward")

	_, err = e.public.ListBoundarySets(as(t, "TST", "c", auth.RoleCitizen), &routingv1.ListBoundarySetsRequest{})
	requireCode(t, err, codes.PermissionDenied)
	_, err = e.public.ListBoundarySets(as(t, "OTH", "a", auth.RoleAgent), &routingv1.ListBoundarySetsRequest{Tenant: "TST"})
	requireCode(t, err, codes.PermissionDenied)
}

func TestAMunicipalityMergerRetiresTheAbsorbedMunicipalitiesWardTeams(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// In 2016 Mier (NC081) and //Khara Hais (NC083, Upington) became Dawid
	// Kruiper (NC087): 2011 shapes of both, one ward each.
	munis := shippedCollection(t, "municipalities2011.geojson.gz", func(p map[string]any) bool {
		return p["CAT_B"] == "NC081" || p["CAT_B"] == "NC083"
	})
	_, err := e.public.ImportMunicipalities(platform(t), &routingv1.ImportMunicipalitiesRequest{FeatureCollection: toStruct(t, munis)})
	require.NoError(t, err)
	shape := map[string]any{}
	for _, f := range munis["features"].([]any) {
		fm := f.(map[string]any)
		shape[fm["properties"].(map[string]any)["CAT_B"].(string)] = fm["geometry"]
	}
	fc := func(features ...any) *routingv1.ImportBoundarySetRequest {
		return &routingv1.ImportBoundarySetRequest{FeatureCollection: toStruct(t, map[string]any{"type": "FeatureCollection", "features": features}),
			TeamCategory: water, TeamNamePrefix: "Water ward "}
	}
	for code, ward1 := range map[string]string{"NC081": "30801001", "NC083": "30803001"} {
		req := fc(ward(ward1, 1, shape[code]))
		req.EffectiveTime = timestamppb.New(election2011)
		_, err := e.public.ImportBoundarySet(admin(t, code), req)
		require.NoError(t, err, code)
	}
	union := e.geoJSON(`ST_Multi(ST_Union(ST_MakeValid(`+g(1)+`), ST_MakeValid(`+g(2)+`)))`, shape["NC081"], shape["NC083"])
	_, err = e.public.CreateMunicipality(platform(t), &routingv1.CreateMunicipalityRequest{Municipality: &routingv1.Municipality{
		Code: "NC087", Name: "Dawid Kruiper", Province: "NC", Boundary: toStruct(t, union)}})
	require.NoError(t, err)
	upington := e.geoJSON(`ST_PointOnSurface(`+g(1)+`)`, shape["NC083"])["coordinates"].([]any)
	at := &commonv1.LatLng{Latitude: upington[1].(float64), Longitude: upington[0].(float64)}

	// NC087's first set takes both areas as its wards 1 and 2.
	req := fc(ward("30807001", 1, shape["NC083"]), ward("30807002", 2, shape["NC081"]))
	req.Tenant, req.EffectiveTime, req.MergedFrom = "NC087", timestamppb.New(time.Date(2016, 8, 3, 0, 0, 0, 0, time.UTC)), []string{"NC081", "NC083"}
	_, err = e.public.ImportBoundarySet(admin(t, "NC087"), req)
	requireCode(t, err, codes.PermissionDenied, "merged_from")
	resp, err := e.public.ImportBoundarySet(platform(t), req)
	require.NoError(t, err)
	r := resp.GetBoundarySet().GetReport()
	require.Zero(t, r.GetPreviousVersion())
	require.Len(t, r.GetMerged(), 2)
	for i, code := range []string{"NC081", "NC083"} {
		m := r.GetMerged()[i]
		require.Equal(t, code, m.GetCode())
		require.EqualValues(t, 1, m.GetVersion())
		require.EqualValues(t, 1, m.GetWardCount())
		require.InDelta(t, e.sqKm(shape[code]), m.GetAreaSqKm(), 0.01*e.sqKm(shape[code]))
	}
	require.Len(t, r.GetRemoved(), 2)
	require.Equal(t, "30801001", r.GetRemoved()[0].GetCode())
	require.Equal(t, "NC081", r.GetRemoved()[0].GetMunicipality())
	require.Equal(t, "NC083", r.GetRemoved()[1].GetMunicipality())
	require.Len(t, r.GetAdded(), 2)
	require.Empty(t, r.GetChanged())
	teams := r.GetTeams()
	require.True(t, teams.GetApplied())
	require.EqualValues(t, 2, teams.GetCreated())
	require.Len(t, teams.GetRetired(), 2)
	require.Equal(t, "NC081", teams.GetRetired()[0].GetTenant())
	require.Equal(t, "30803001", teams.GetRetired()[1].GetWardCode())

	// Upington's reports reach NC087's ward 1 team; NC083's team is retired.
	routed := e.route("NC087", water, at.GetLatitude(), at.GetLongitude())
	require.Equal(t, "Water ward 1", routed.GetAssignment().GetTeamName())
	require.Equal(t, "30807001", routed.GetDecision().GetWardCode())
	old, err := e.public.ListTeams(as(t, "NC083", "a", auth.RoleAgent), &routingv1.ListTeamsRequest{IncludeInactive: true})
	require.NoError(t, err)
	require.Len(t, old.GetTeams(), 1)
	require.False(t, old.GetTeams()[0].GetActive())
	require.NotNil(t, old.GetTeams()[0].GetWardRetireTime())
}

func TestAWardWhoseTeamNameIsTakenIsReportedUnbuilt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	west, east := square(25.1, -29.9, 25.5, -29.5).AsMap(), square(25.5, -29.9, 25.9, -29.5).AsMap()
	set := func(at time.Time, features ...any) *routingv1.BoundarySet {
		resp, err := e.public.ImportBoundarySet(admin(t, "TST"), &routingv1.ImportBoundarySetRequest{
			EffectiveTime: timestamppb.New(at), TeamCategory: roads, TeamNamePrefix: "Roads ward ",
			FeatureCollection: toStruct(t, map[string]any{"type": "FeatureCollection", "features": features})})
		require.NoError(t, err)
		return resp.GetBoundarySet()
	}
	first := set(election2011, ward("10000001", 1, west), ward("10000002", 2, east))
	require.EqualValues(t, 2, first.GetReport().GetTeams().GetCreated())
	// The 2016 set renumbers: code 10000009 takes label 1, whose team name
	// the team of code 10000001 holds; code 10000002 keeps its ward.
	renumbered := set(time.Date(2016, 8, 3, 0, 0, 0, 0, time.UTC), ward("10000009", 1, west), ward("10000002", 2, east))
	teams := renumbered.GetReport().GetTeams()
	require.True(t, teams.GetApplied())
	require.Equal(t, []string{"10000009"}, teams.GetUnbuiltWards())
	require.Zero(t, teams.GetCreated())
	require.EqualValues(t, 1, teams.GetFollowing())
	require.Len(t, teams.GetRetired(), 1)
	require.Equal(t, "Roads ward 1", teams.GetRetired()[0].GetTeamName())
	require.Equal(t, 1, e.count(`SELECT count(*) FROM routing.teams WHERE active`))
	require.Zero(t, e.count(`SELECT count(*) FROM routing.teams WHERE ward_code = '10000009'`))

	// A set still to come predicts the same from the teams as they stand.
	pending := set(time.Now().Add(time.Hour), ward("10000009", 1, west), ward("10000010", 2, east))
	teams = pending.GetReport().GetTeams()
	require.False(t, teams.GetApplied())
	require.Equal(t, []string{"10000009", "10000010"}, teams.GetUnbuiltWards())
	require.Zero(t, teams.GetCreated())
	require.Len(t, teams.GetRetired(), 1)
	require.Equal(t, "10000002", teams.GetRetired()[0].GetWardCode())
}
