package server_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/structpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
)

// dataDir finds the shared real-data folder: TRUSTENGINE_DATA_DIR, or
// shared/data next to the repository root found by walking up. These tests
// need the MDB 2011 boundaries and skip only when the folder is absent.
func dataDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("TRUSTENGINE_DATA_DIR"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		candidate := filepath.Join(dir, "shared", "data")
		if st, err := os.Stat(candidate); err == nil && st.IsDir() {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared/data (MDB 2011 boundaries) not found; set TRUSTENGINE_DATA_DIR")
		}
		dir = parent
	}
}

// readCollection loads a GeoJSON FeatureCollection, keeping the features
// keep accepts.
func readCollection(t *testing.T, path string, keep func(map[string]any) bool) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var fc map[string]any
	require.NoError(t, json.Unmarshal(raw, &fc))
	var kept []any
	for _, f := range fc["features"].([]any) {
		if keep == nil || keep(f.(map[string]any)) {
			kept = append(kept, f)
		}
	}
	fc["features"] = kept
	return fc
}

func toStruct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(m)
	require.NoError(t, err)
	return s
}

func TestCapeTownWardsRouteWellKnownPlaces(t *testing.T) {
	t.Parallel()
	data := dataDir(t)
	e := newEnv(t)
	cpt := readCollection(t, filepath.Join(data, "mdb2011", "LocalMunicipalities2011.geojson"), func(f map[string]any) bool {
		return f["properties"].(map[string]any)["CAT_B"] == "CPT"
	})
	imp, err := e.public.ImportMunicipalities(platform(t), &routingv1.ImportMunicipalitiesRequest{FeatureCollection: toStruct(t, cpt)})
	require.NoError(t, err)
	require.EqualValues(t, 1, imp.GetCreated())

	wards := readCollection(t, filepath.Join(data, "mdb2011", "wards-by-municipality", "wards2011_CPT.geojson"), nil)
	require.Len(t, wards["features"], 111)
	req := &routingv1.ImportTeamsRequest{Tenant: "CPT", Category: water, NameProperty: "WARDNO",
		NamePrefix: "Water ward ", FeatureCollection: toStruct(t, wards)}
	// Four simplified 2011 wards have self-touching rings; the import is all
	// or nothing and names the first bad feature.
	_, err = e.public.ImportTeams(admin(t, "CPT"), req)
	requireCode(t, err, codes.InvalidArgument, "feature_collection.features[", "Ring Self-intersection")
	require.Equal(t, 0, e.count(`SELECT count(*) FROM routing.teams`))

	valid := readCollection(t, filepath.Join(data, "mdb2011", "wards-by-municipality", "wards2011_CPT.geojson"), func(f map[string]any) bool {
		g, _ := json.Marshal(f["geometry"])
		var ok bool
		require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT ST_IsValid(ST_GeomFromGeoJSON($1::text))`, string(g)).Scan(&ok))
		return ok
	})
	require.Len(t, valid["features"], 107)
	req.FeatureCollection = toStruct(t, valid)
	res, err := e.public.ImportTeams(admin(t, "CPT"), req)
	require.NoError(t, err)
	require.EqualValues(t, 107, res.GetCreated())
	res, err = e.public.ImportTeams(admin(t, "CPT"), req)
	require.NoError(t, err)
	require.EqualValues(t, 107, res.GetUpdated(), "re-importing updates the same teams")

	places := []struct {
		name     string
		lat, lng float64
		team     string
	}{
		{"City Hall is in ward 77", -33.9253, 18.4239, "Water ward 77"},
		{"Table Mountain's upper cable station is in ward 74", -33.9628, 18.4037, "Water ward 74"},
		{"Cape Town International Airport is in ward 24", -33.9715, 18.6021, "Water ward 24"},
		{"Khayelitsha is in ward 97", -34.0403, 18.6770, "Water ward 97"},
		{"Durbanville is in ward 21", -33.8317, 18.6476, "Water ward 21"},
		{"Robben Island is in ward 54", -33.8067, 18.3666, "Water ward 54"},
	}
	for _, p := range places {
		t.Run(p.name, func(t *testing.T) {
			resp := e.route("CPT", water, p.lat, p.lng)
			require.Equal(t, p.team, resp.GetAssignment().GetTeamName())
			require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_GEOSPATIAL_ROUTING, resp.GetAssignment().GetReason())
		})
	}

	// A point in False Bay is in no ward: the nearest ward's team takes it.
	resp := e.route("CPT", water, -34.15, 18.60)
	require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_FALLBACK_NEAREST, resp.GetAssignment().GetReason())
	cands := resp.GetDecision().GetCandidates()
	require.NotEmpty(t, cands)
	require.True(t, cands[0].GetChosen())
	require.Greater(t, cands[0].GetDistanceMeters(), 0.0)
	for _, c := range cands[1:] {
		require.GreaterOrEqual(t, c.GetDistanceMeters(), cands[0].GetDistanceMeters())
	}
	// Roads has no team at all in CPT.
	require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_TRIAGE, e.route("CPT", roads, -33.9253, 18.4239).GetAssignment().GetReason())
}

func TestResolveJurisdictionAcrossTheCountry(t *testing.T) {
	t.Parallel()
	data := dataDir(t)
	e := newEnv(t)
	all := readCollection(t, filepath.Join(data, "mdb2011", "LocalMunicipalities2011.geojson"), nil)
	imp, err := e.public.ImportMunicipalities(platform(t), &routingv1.ImportMunicipalitiesRequest{FeatureCollection: toStruct(t, all)})
	require.NoError(t, err)
	require.EqualValues(t, 234, imp.GetCreated())

	places := []struct {
		name     string
		lat, lng float64
		code     string
	}{
		{"Cape Town City Hall is in CPT", -33.9253, 18.4239, "CPT"},
		{"Johannesburg CBD is in JHB", -26.2041, 28.0473, "JHB"},
		{"Durban is in ETH", -29.8587, 31.0218, "ETH"},
		{"Pretoria is in TSH", -25.7479, 28.2293, "TSH"},
		{"Stellenbosch is in WC024", -33.9321, 18.8602, "WC024"},
		{"Gqeberha is in NMA", -33.9608, 25.6022, "NMA"},
		{"Bloemfontein is in MAN", -29.0852, 26.1596, "MAN"},
		{"Maseru in Lesotho is in no municipality", -29.3151, 27.4869, ""},
		{"a point in the Atlantic is in no municipality", -34.5, 17.5, ""},
	}
	citizen := as(t, "CPT", "c", "citizen")
	for _, p := range places {
		t.Run(p.name, func(t *testing.T) {
			resp, err := e.public.ResolveJurisdiction(citizen, &routingv1.ResolveJurisdictionRequest{
				Location: &commonv1.LatLng{Latitude: p.lat, Longitude: p.lng}})
			if p.code == "" {
				requireCode(t, err, codes.NotFound)
				return
			}
			require.NoError(t, err)
			require.Equal(t, p.code, resp.GetMunicipality().GetCode())
			require.Nil(t, resp.GetMunicipality().GetBoundary())
		})
	}
	wc, err := e.public.ListMunicipalities(citizen, &routingv1.ListMunicipalitiesRequest{Province: "WC", PageSize: 10})
	require.NoError(t, err)
	require.Len(t, wc.GetMunicipalities(), 10)
	require.NotEmpty(t, wc.GetNextPageToken())
	rest, err := e.public.ListMunicipalities(citizen, &routingv1.ListMunicipalitiesRequest{Province: "WC", PageSize: 100, PageToken: wc.GetNextPageToken()})
	require.NoError(t, err)
	require.Len(t, rest.GetMunicipalities(), 15, "the Western Cape had 25 municipalities in 2011")
}
