package server_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/structpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
)

// dataDir is the repository's data folder (data/mdb2011 holds the MDB 2011
// boundaries, gzip-compressed GeoJSON), found by walking up from the test.
func dataDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		candidate := filepath.Join(dir, "data", "mdb2011")
		if st, err := os.Stat(candidate); err == nil && st.IsDir() {
			return filepath.Dir(candidate)
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "data/mdb2011 not found above the test")
		dir = parent
	}
}

// readCollection loads a GeoJSON FeatureCollection (gzip-compressed when
// the name ends in .gz), keeping the features keep accepts.
func readCollection(t *testing.T, path string, keep func(map[string]any) bool) map[string]any {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		require.NoError(t, err)
		r = zr
	}
	var fc map[string]any
	require.NoError(t, json.NewDecoder(r).Decode(&fc))
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
	cpt := readCollection(t, filepath.Join(data, "mdb2011", "municipalities2011.geojson.gz"), func(f map[string]any) bool {
		return f["properties"].(map[string]any)["CAT_B"] == "CPT"
	})
	imp, err := e.public.ImportMunicipalities(platform(t), &routingv1.ImportMunicipalitiesRequest{FeatureCollection: toStruct(t, cpt)})
	require.NoError(t, err)
	require.EqualValues(t, 1, imp.GetCreated())

	wards := readCollection(t, filepath.Join(data, "mdb2011", "wards2011_CPT.geojson.gz"), nil)
	require.Len(t, wards["features"], 111)
	req := &routingv1.ImportTeamsRequest{Tenant: "CPT", Category: water, NameProperty: "WARDNO",
		NamePrefix: "Water ward ", FeatureCollection: toStruct(t, wards), Mode: routingv1.ImportMode_IMPORT_MODE_REFUSE_ALL}
	// Four simplified 2011 wards (32, 55, 61, 100) have self-touching
	// rings: refuse_all refuses the whole import, naming the first.
	_, err = e.public.ImportTeams(admin(t, "CPT"), req)
	requireCode(t, err, codes.InvalidArgument, "feature_collection.features[31].geometry", "Ring Self-intersection[18.430816 -33.680524]")
	require.Equal(t, 0, e.count(`SELECT count(*) FROM routing.teams`))

	// refuse_feature imports the 107 valid wards and reports the four.
	req.Mode = routingv1.ImportMode_IMPORT_MODE_REFUSE_FEATURE
	res, err := e.public.ImportTeams(admin(t, "CPT"), req)
	require.NoError(t, err)
	require.EqualValues(t, 107, res.GetCreated())
	require.EqualValues(t, 4, res.GetRefused())
	require.Len(t, res.GetFeatures(), 111)
	invalid := map[int32]string{31: "Water ward 32", 54: "Water ward 55", 60: "Water ward 61", 99: "Water ward 100"}
	for _, f := range res.GetFeatures() {
		if name, bad := invalid[f.GetIndex()]; bad {
			require.Equal(t, routingv1.ImportOutcome_IMPORT_OUTCOME_REFUSED, f.GetOutcome())
			require.Equal(t, name, f.GetName())
			require.Contains(t, f.GetInvalidReason(), "Ring Self-intersection")
			require.Equal(t, fmt.Sprintf("feature_collection.features[%d].geometry", f.GetIndex()), f.GetField())
			require.Contains(t, f.GetRefusal(), "must be a valid polygon")
			continue
		}
		require.Equal(t, routingv1.ImportOutcome_IMPORT_OUTCOME_CREATED, f.GetOutcome(), f.GetName())
	}
	require.Equal(t, 107, e.count(`SELECT count(*) FROM routing.teams`))

	// The default mode repairs them: all 111 wards are teams.
	req.Mode = routingv1.ImportMode_IMPORT_MODE_UNSPECIFIED
	res, err = e.public.ImportTeams(admin(t, "CPT"), req)
	require.NoError(t, err)
	require.EqualValues(t, 4, res.GetCreated())
	require.EqualValues(t, 107, res.GetUpdated(), "re-importing updates the same teams")
	require.EqualValues(t, 4, res.GetRepaired())
	require.EqualValues(t, 0, res.GetRefused())
	for _, f := range res.GetFeatures() {
		_, bad := invalid[f.GetIndex()]
		require.Equal(t, bad, f.GetRepaired(), f.GetName())
		if bad {
			require.Contains(t, f.GetInvalidReason(), "Ring Self-intersection")
			require.Less(t, f.GetAreaChangePercent(), 0.01, "the repair only untangles a touching ring")
		}
	}
	require.Equal(t, 111, e.count(`SELECT count(*) FROM routing.teams WHERE ST_IsValid(service_area)`))

	// A point inside each repaired ward reaches that ward's team.
	for _, name := range invalid {
		var lat, lng float64
		require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT ST_Y(p), ST_X(p) FROM
			(SELECT ST_PointOnSurface(service_area) p FROM routing.teams WHERE name = $1) x`, name).Scan(&lat, &lng))
		require.Equal(t, name, e.route("CPT", water, lat, lng).GetAssignment().GetTeamName())
	}

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
	all := readCollection(t, filepath.Join(data, "mdb2011", "municipalities2011.geojson.gz"), nil)
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
