package e2e

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// shipped reads a FeatureCollection the repository ships in data/mdb2011,
// keeping the features keep accepts (nil: all).
func shipped(t *testing.T, name string, keep func(props map[string]any) bool) map[string]any {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	f, err := os.Open(filepath.Join(filepath.Dir(filepath.Dir(file)), "data", "mdb2011", name))
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	var fc map[string]any
	require.NoError(t, json.NewDecoder(zr).Decode(&fc))
	var kept []any
	for _, feat := range fc["features"].([]any) {
		if keep == nil || keep(feat.(map[string]any)["properties"].(map[string]any)) {
			kept = append(kept, feat)
		}
	}
	fc["features"] = kept
	return fc
}

func structOf(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(m)
	require.NoError(t, err)
	return s
}

// Cape Town as a municipality has it: the official 2011 wards imported as
// a boundary version that builds a water team per ward; coverage shows the
// hole a deactivated ward team leaves, and a redrawn version moves the
// teams on its effective date while tickets keep the ward they arose in.
func TestCoverageAndRedemarcationOnCapeTownWards(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{envFor: map[string][]string{"routing": {"BOUNDARY_SWEEP_INTERVAL=1s"}}})
	ctx := context.Background()
	platform := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, s.token("root", "*", "platform_admin")))
	admin := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, s.token("admin-cpt", "CPT", "municipal_admin")))
	agentToken := s.token("agent-cpt", "CPT", "agent")
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, agentToken))

	_, err := platform.ImportMunicipalities(ctx, &routingv1.ImportMunicipalitiesRequest{FeatureCollection: structOf(t,
		shipped(t, "municipalities2011.geojson.gz", func(p map[string]any) bool { return p["CAT_B"] == "CPT" }))})
	require.NoError(t, err)
	wards := shipped(t, "wards2011_CPT.geojson.gz", nil)
	v1, err := admin.ImportBoundarySet(ctx, &routingv1.ImportBoundarySetRequest{
		EffectiveTime: timestamppb.New(time.Date(2011, 5, 18, 0, 0, 0, 0, time.UTC)), FeatureCollection: structOf(t, wards),
		Source: "MDB 2011 wards", TeamCategory: commonv1.Category_CATEGORY_WATER, TeamNamePrefix: "Water ward "})
	require.NoError(t, err)
	require.EqualValues(t, 111, v1.GetBoundarySet().GetReport().GetTeams().GetCreated())
	require.Len(t, v1.GetBoundarySet().GetReport().GetRepaired(), 4)

	// Coverage through the gateway, as the README shows it.
	coverage := func() map[string]any {
		code, body, _ := s.call("GET", "/v1/coverage?category=CATEGORY_WATER", agentToken, "", nil)
		require.Equal(t, 200, code, "%v", body)
		return body["coverage"].(map[string]any)
	}
	full := coverage()
	require.EqualValues(t, 111, full["team_count"])
	require.Less(t, full["gap_percent"].(float64), 0.5, "the 2011 wards cover Cape Town but for slivers")
	require.Empty(t, full["overlaps"])

	byNo := map[int]map[string]any{}
	for _, f := range wards["features"].([]any) {
		fm := f.(map[string]any)
		byNo[int(fm["properties"].(map[string]any)["WARDNO"].(float64))] = fm
	}
	code := func(no int) string { return byNo[no]["properties"].(map[string]any)["WARD"].(string) }
	teams, err := admin.ListTeams(ctx, &routingv1.ListTeamsRequest{PageSize: 500})
	require.NoError(t, err)
	teamOf := map[string]*routingv1.Team{}
	for _, tm := range teams.GetTeams() {
		teamOf[tm.GetWardCode()] = tm
	}

	// Khayelitsha's ward team stops: its ward becomes a gap.
	khayelitsha := url.Values{"category": {"CATEGORY_WATER"}, "location.latitude": {"-34.0403"}, "location.longitude": {"18.6770"}}
	status, body, _ := s.call("POST", "/v1/teams/"+teamOf[code(97)].GetId()+":deactivate", s.token("admin-cpt", "CPT", "municipal_admin"), `{}`, nil)
	require.Equal(t, 200, status, "%v", body)
	holed := coverage()
	grown := holed["gap_area_sq_km"].(float64) - full["gap_area_sq_km"].(float64)
	require.InDelta(t, teamOf[code(97)].GetAreaSqKm(), grown, 0.01*teamOf[code(97)].GetAreaSqKm(), "the gap grows by ward 97")
	status, body, _ = s.call("GET", "/v1/routes:explain?"+khayelitsha.Encode(), agentToken, "", nil)
	require.Equal(t, 200, status, "%v", body)
	decision := body["decision"].(map[string]any)
	require.Equal(t, true, decision["in_coverage_gap"])
	require.Contains(t, decision["explanation"], "coverage gap")
	require.Equal(t, code(97), decision["ward_code"])

	// A ticket in ward 54 before the redrawing.
	var lng, lat float64
	require.NoError(t, s.db.QueryRow(ctx, `SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(ST_GeomFromGeoJSON($1::text)) AS p) x`,
		mustJSON(t, byNo[54]["geometry"])).Scan(&lng, &lat))
	at := &commonv1.LatLng{Latitude: lat, Longitude: lng}
	create := func(what string) string {
		resp, err := tc.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_WATER, Description: what, Location: at})
		require.NoError(t, err)
		return resp.GetTicket().GetId()
	}
	wardOf := func(id, want string) *ticketv1.Ticket {
		var got *ticketv1.Ticket
		s.eventually(30*time.Second, "ticket "+id+" in ward "+want, func() (bool, string) {
			resp, err := tc.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: id})
			if err != nil {
				return false, err.Error()
			}
			got = resp.GetTicket()
			return got.GetWardCode() == want && got.GetAssignedTeamId() != "", fmt.Sprintf("ward %q team %q", got.GetWardCode(), got.GetAssignedTeamName())
		})
		return got
	}
	before := create("Leak before the redrawing")
	require.Equal(t, "Water ward 54", wardOf(before, code(54)).GetAssignedTeamName())

	// The redrawn version: ward 77 absorbs ward 54, in force in a moment.
	var merged string
	require.NoError(t, s.db.QueryRow(ctx, `SELECT ST_AsGeoJSON(ST_Multi(ST_Union(ST_MakeValid(ST_GeomFromGeoJSON($1::text)),
		ST_MakeValid(ST_GeomFromGeoJSON($2::text)))))`, mustJSON(t, byNo[77]["geometry"]), mustJSON(t, byNo[54]["geometry"])).Scan(&merged))
	var v2 []any
	for no := 1; no <= 111; no++ {
		switch no {
		case 54:
		case 77:
			var g map[string]any
			require.NoError(t, json.Unmarshal([]byte(merged), &g))
			v2 = append(v2, map[string]any{"type": "Feature", "properties": byNo[77]["properties"], "geometry": g})
		default:
			v2 = append(v2, byNo[no])
		}
	}
	// Far enough ahead that the import (a hundred repaired wards on a busy
	// machine) answers before it; the sweep then applies it.
	effective := time.Now().Add(30 * time.Second)
	v2Resp, err := admin.ImportBoundarySet(ctx, &routingv1.ImportBoundarySetRequest{EffectiveTime: timestamppb.New(effective),
		FeatureCollection: structOf(t, map[string]any{"type": "FeatureCollection", "features": v2}), Source: "redrawn"})
	require.NoError(t, err)
	r := v2Resp.GetBoundarySet().GetReport()
	require.Len(t, r.GetRemoved(), 1)
	require.Equal(t, code(54), r.GetRemoved()[0].GetCode())
	require.Len(t, r.GetChanged(), 1)
	require.Equal(t, code(77), r.GetChanged()[0].GetCode())
	require.Greater(t, r.GetChanged()[0].GetAreaChangePercent(), 0.0)
	require.Empty(t, r.GetAdded())
	require.EqualValues(t, 109, r.GetUnchanged())
	require.False(t, r.GetTeams().GetApplied())

	// The routing service's sweep applies it on its effective date.
	s.eventually(90*time.Second, "version 2 applied", func() (bool, string) {
		code, body, _ := s.call("GET", "/v1/boundary-sets", agentToken, "", nil)
		if code != 200 {
			return false, fmt.Sprint(code, body)
		}
		sets := body["boundary_sets"].([]any)
		last := sets[len(sets)-1].(map[string]any)
		return len(sets) == 2 && last["apply_time"] != nil, fmt.Sprint(last["apply_time"])
	})
	after := create("Leak after the redrawing")
	require.Equal(t, "Water ward 77", wardOf(after, code(77)).GetAssignedTeamName())
	require.Equal(t, code(54), wardOf(before, code(54)).GetWardCode(), "the earlier ticket keeps its ward")

	status, body, _ = s.call("GET", "/v1/tickets?ward_code="+code(54), agentToken, "", nil)
	require.Equal(t, 200, status, "%v", body)
	listed := body["tickets"].([]any)
	require.Len(t, listed, 1)
	require.Equal(t, before, listed[0].(map[string]any)["id"])
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// wardCollection is a FeatureCollection of one ward with code and area.
func wardCollection(t *testing.T, code string, area *structpb.Struct) *structpb.Struct {
	t.Helper()
	return structOf(t, map[string]any{"type": "FeatureCollection", "features": []any{map[string]any{"type": "Feature",
		"properties": map[string]any{"WARD": code}, "geometry": area.AsMap()}}})
}
