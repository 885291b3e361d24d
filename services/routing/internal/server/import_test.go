package server_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
)

// feat is a GeoJSON Feature with properties props around geometry g.
func feat(props map[string]any, g *structpb.Struct) any {
	return map[string]any{"type": "Feature", "properties": props, "geometry": g.AsMap()}
}

// collection is a FeatureCollection of features.
func collection(t *testing.T, features ...any) *structpb.Struct {
	t.Helper()
	return toStruct(t, map[string]any{"type": "FeatureCollection", "features": features})
}

// ring is a Polygon of one ring through the positions (lng, lat pairs).
func ring(positions ...[2]float64) *structpb.Struct {
	r := make([]any, 0, len(positions))
	for _, p := range positions {
		r = append(r, []any{p[0], p[1]})
	}
	return geometry("Polygon", []any{r})
}

func TestTeamImportsReportEveryFeatureAndRefuseOnlyTheBadOnes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST") // the box lng 25..26, lat -30..-29
	named := func(n string) map[string]any { return map[string]any{"WARD": n} }
	features := []any{
		feat(named("good"), square(25.1, -29.9, 25.2, -29.8)),
		// A bow-tie: ST_MakeValid makes two triangles of a different area.
		feat(named("bowtie"), ring([2]float64{25.3, -29.9}, [2]float64{25.5, -29.8}, [2]float64{25.5, -29.9}, [2]float64{25.3, -29.85}, [2]float64{25.3, -29.9})),
		// Collinear positions: nothing polygonal is left after repair.
		feat(named("line"), ring([2]float64{25.1, -29.5}, [2]float64{25.2, -29.5}, [2]float64{25.3, -29.5}, [2]float64{25.1, -29.5})),
		feat(named("point"), geometry("Point", []any{25.5, -29.5})),
		feat(map[string]any{}, square(25.6, -29.9, 25.7, -29.8)),
		// [latitude, longitude] instead of [longitude, latitude].
		feat(named("swapped"), square(-29.9, 25.1, -29.8, 25.2)),
		feat(named("europe"), square(10, 50, 11, 51)),
		feat(named("good"), square(25.3, -29.3, 25.4, -29.2)),
		// Touching itself at one point: repaired with no change of area.
		feat(named("touching"), ring([2]float64{25.6, -29.6}, [2]float64{25.8, -29.6}, [2]float64{25.7, -29.5},
			[2]float64{25.7, -29.6}, [2]float64{25.6, -29.4}, [2]float64{25.6, -29.6})),
	}
	req := &routingv1.ImportTeamsRequest{Tenant: "TST", Category: water, NameProperty: "WARD", NamePrefix: "W ",
		FeatureCollection: collection(t, features...)}
	res, err := e.public.ImportTeams(admin(t, "TST"), req)
	require.NoError(t, err)
	require.EqualValues(t, 2, res.GetCreated())
	require.EqualValues(t, 1, res.GetRepaired())
	require.EqualValues(t, 7, res.GetRefused())
	want := []struct {
		outcome        routingv1.ImportOutcome
		field, refusal string
	}{
		{routingv1.ImportOutcome_IMPORT_OUTCOME_CREATED, "", ""},
		{routingv1.ImportOutcome_IMPORT_OUTCOME_REFUSED, "features[1].geometry", "repair would change the area by"},
		{routingv1.ImportOutcome_IMPORT_OUTCOME_REFUSED, "features[2].geometry", "is empty after repair"},
		{routingv1.ImportOutcome_IMPORT_OUTCOME_REFUSED, "features[3].geometry.type", "must be Polygon or MultiPolygon"},
		{routingv1.ImportOutcome_IMPORT_OUTCOME_REFUSED, "features[4].properties.WARD", "is required to name the team"},
		{routingv1.ImportOutcome_IMPORT_OUTCOME_REFUSED, "features[5].geometry", "with longitude and latitude swapped"},
		{routingv1.ImportOutcome_IMPORT_OUTCOME_REFUSED, "features[6].geometry", "northern hemisphere"},
		{routingv1.ImportOutcome_IMPORT_OUTCOME_REFUSED, "features[7].properties.WARD", `names team "W good" already named by feature 0`},
		{routingv1.ImportOutcome_IMPORT_OUTCOME_CREATED, "", ""},
	}
	require.Len(t, res.GetFeatures(), len(want))
	for i, w := range want {
		f := res.GetFeatures()[i]
		require.EqualValues(t, i, f.GetIndex())
		require.Equal(t, w.outcome, f.GetOutcome(), "feature %d: %s", i, f.GetRefusal())
		if w.field != "" {
			require.Equal(t, "feature_collection."+w.field, f.GetField())
			require.Contains(t, f.GetRefusal(), w.refusal)
		}
	}
	require.Contains(t, res.GetFeatures()[1].GetInvalidReason(), "Self-intersection")
	require.Greater(t, res.GetFeatures()[1].GetAreaChangePercent(), 5.0)
	require.True(t, res.GetFeatures()[8].GetRepaired())
	require.Contains(t, res.GetFeatures()[8].GetInvalidReason(), "Self-intersection")
	require.Equal(t, 2, e.count(`SELECT count(*) FROM routing.teams WHERE ST_IsValid(service_area)`))

	// A higher limit takes the bow-tie, repaired.
	req.MaxAreaChangePercent = 100
	res, err = e.public.ImportTeams(admin(t, "TST"), req)
	require.NoError(t, err)
	require.True(t, res.GetFeatures()[1].GetRepaired())
	require.Equal(t, routingv1.ImportOutcome_IMPORT_OUTCOME_CREATED, res.GetFeatures()[1].GetOutcome())
	require.EqualValues(t, 2, res.GetUpdated())

	// refuse_all changes nothing and names the first refused feature.
	before := e.count(`SELECT count(*) FROM routing.teams`)
	req.Mode = routingv1.ImportMode_IMPORT_MODE_REFUSE_ALL
	_, err = e.public.ImportTeams(admin(t, "TST"), req)
	requireCode(t, err, codes.InvalidArgument, "feature_collection.features[1].geometry", "must be a valid polygon")
	require.Equal(t, before, e.count(`SELECT count(*) FROM routing.teams`))
}

func TestImportOptionsAreChecked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	fc := collection(t, feat(map[string]any{"WARD": "1"}, square(25.1, -29.9, 25.2, -29.8)))
	cases := []struct {
		name  string
		edit  func(*routingv1.ImportTeamsRequest)
		field string
	}{
		{"an unknown mode", func(r *routingv1.ImportTeamsRequest) { r.Mode = 99 }, "mode"},
		{"a negative area change limit", func(r *routingv1.ImportTeamsRequest) { r.MaxAreaChangePercent = -1 }, "max_area_change_percent"},
		{"an area change limit over 100", func(r *routingv1.ImportTeamsRequest) { r.MaxAreaChangePercent = 101 }, "max_area_change_percent"},
		{"a negative srid", func(r *routingv1.ImportTeamsRequest) { r.Srid = -4326 }, "srid"},
		{"an srid PostGIS does not know", func(r *routingv1.ImportTeamsRequest) { r.Srid = 12345 }, "srid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := &routingv1.ImportTeamsRequest{Tenant: "TST", Category: water, NameProperty: "WARD", FeatureCollection: fc}
			c.edit(req)
			_, err := e.public.ImportTeams(admin(t, "TST"), req)
			requireCode(t, err, codes.InvalidArgument, c.field)
		})
	}
	require.Equal(t, 0, e.count(`SELECT count(*) FROM routing.teams`))
}

func TestMunicipalityImportsRefuseFeaturesWithoutACode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := func(code string, g *structpb.Struct) any {
		props := map[string]any{"MUNICNAME": "Test " + code, "PROVINCE": "Free State"}
		if code != "" {
			props["CAT_B"] = code
		}
		return feat(props, g)
	}
	fc := collection(t, m("AAA", square(25, -30, 26, -29)), m("", square(26, -30, 27, -29)),
		m("CCC", square(-30, 26, -29, 27)))
	_, err := e.public.ImportMunicipalities(platform(t), &routingv1.ImportMunicipalitiesRequest{FeatureCollection: fc,
		Mode: routingv1.ImportMode_IMPORT_MODE_REFUSE_ALL})
	requireCode(t, err, codes.InvalidArgument, "feature_collection.features[1].properties.CAT_B", "is required")
	require.Equal(t, 0, e.count(`SELECT count(*) FROM routing.municipalities`))

	res, err := e.public.ImportMunicipalities(platform(t), &routingv1.ImportMunicipalitiesRequest{FeatureCollection: fc})
	require.NoError(t, err)
	require.EqualValues(t, 1, res.GetCreated())
	require.EqualValues(t, 2, res.GetRefused())
	require.Equal(t, "AAA", res.GetFeatures()[0].GetName())
	require.Equal(t, "feature_collection.features[1].properties.CAT_B", res.GetFeatures()[1].GetField())
	require.Contains(t, res.GetFeatures()[2].GetRefusal(), "swapped")
	require.Equal(t, 1, e.count(`SELECT count(*) FROM routing.municipalities`))
}

func TestMunicipalityImportRepairsTheThreeInvalidMDBBoundaries(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	all := readCollection(t, filepath.Join(dataDir(t), "mdb2011", "municipalities2011.geojson.gz"), nil)
	res, err := e.public.ImportMunicipalities(platform(t), &routingv1.ImportMunicipalitiesRequest{FeatureCollection: toStruct(t, all)})
	require.NoError(t, err)
	require.EqualValues(t, 234, res.GetCreated())
	require.EqualValues(t, 3, res.GetRepaired())
	var repaired []string
	for _, f := range res.GetFeatures() {
		if f.GetRepaired() {
			repaired = append(repaired, f.GetName())
			require.Contains(t, f.GetInvalidReason(), "Self-intersection")
			require.Less(t, f.GetAreaChangePercent(), 0.01)
		}
	}
	require.Contains(t, repaired, "CPT")
	require.Equal(t, 234, e.count(`SELECT count(*) FROM routing.municipalities WHERE ST_IsValid(boundary)`))
}

func TestImportsReprojectFromTheSRIDTheyName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	data := dataDir(t)
	cpt := readCollection(t, filepath.Join(data, "mdb2011", "municipalities2011.geojson.gz"), func(f map[string]any) bool {
		return f["properties"].(map[string]any)["CAT_B"] == "CPT"
	})
	_, err := e.public.ImportMunicipalities(platform(t), &routingv1.ImportMunicipalitiesRequest{FeatureCollection: toStruct(t, cpt)})
	require.NoError(t, err)
	// Ward 77 (City Hall) in Hartebeesthoek94 / Lo19 (EPSG:2048) and in
	// WGS 84 / UTM 34S (EPSG:32734), reprojected here by PostGIS.
	ward := readCollection(t, filepath.Join(data, "mdb2011", "wards2011_CPT.geojson.gz"), func(f map[string]any) bool {
		return f["properties"].(map[string]any)["WARDNO"] == 77.0
	})
	g, err := json.Marshal(ward["features"].([]any)[0].(map[string]any)["geometry"])
	require.NoError(t, err)
	for _, srid := range []int32{2048, 32734} {
		var projected map[string]any
		var text string
		require.NoError(t, e.pool.QueryRow(context.Background(),
			`SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326), $2::int), 3)`, string(g), srid).Scan(&text))
		require.NoError(t, json.Unmarshal([]byte(text), &projected))
		req := &routingv1.ImportTeamsRequest{Tenant: "CPT", Category: water, NameProperty: "WARD", Srid: srid,
			FeatureCollection: collection(t, feat(map[string]any{"WARD": "77"}, toStruct(t, projected)))}
		// Without the srid, the crs PostGIS wrote is refused; without it
		// either, the metres are refused as degrees.
		req.Srid = 0
		res, err := e.public.ImportTeams(admin(t, "CPT"), req)
		require.NoError(t, err)
		require.Contains(t, res.GetFeatures()[0].GetRefusal(), "must be EPSG:4326")
		delete(projected, "crs")
		req.FeatureCollection = collection(t, feat(map[string]any{"WARD": "77"}, toStruct(t, projected)))
		res, err = e.public.ImportTeams(admin(t, "CPT"), req)
		require.NoError(t, err)
		require.Contains(t, res.GetFeatures()[0].GetRefusal(), "must be SRID 4326 degrees")
		req.Srid = srid
		res, err = e.public.ImportTeams(admin(t, "CPT"), req)
		require.NoError(t, err)
		require.EqualValues(t, 0, res.GetRefused(), "EPSG:%d: %v", srid, res.GetFeatures())
		// The stored ward is the WGS 84 one, to the millimetres rounding left.
		var gap float64
		require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT ST_HausdorffDistance(service_area::geography::geometry,
			ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326)) FROM routing.teams WHERE name = '77'`, string(g)).Scan(&gap))
		require.Less(t, gap, 1e-6, "EPSG:%d", srid)
		require.Equal(t, "77", e.route("CPT", water, -33.9253, 18.4239).GetAssignment().GetTeamName())
	}
}

func TestSingleTeamsRepairOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	touching := ring([2]float64{25.6, -29.6}, [2]float64{25.8, -29.6}, [2]float64{25.7, -29.5},
		[2]float64{25.7, -29.6}, [2]float64{25.6, -29.4}, [2]float64{25.6, -29.6})
	team := &routingv1.Team{Tenant: "TST", Name: "Touching", Category: commonv1.Category_CATEGORY_WATER, ServiceArea: touching}
	_, err := e.public.CreateTeam(admin(t, "TST"), &routingv1.CreateTeamRequest{Team: team})
	requireCode(t, err, codes.InvalidArgument, "team.service_area", "must be a valid polygon", "Self-intersection")
	require.Equal(t, 0, e.count(`SELECT count(*) FROM routing.teams`))

	resp, err := e.public.CreateTeam(admin(t, "TST"), &routingv1.CreateTeamRequest{Team: team, RepairServiceArea: true})
	require.NoError(t, err)
	require.Equal(t, 1, e.count(`SELECT count(*) FROM routing.teams WHERE ST_IsValid(service_area)`))

	bowtie := ring([2]float64{25.3, -29.9}, [2]float64{25.5, -29.8}, [2]float64{25.5, -29.9}, [2]float64{25.3, -29.85}, [2]float64{25.3, -29.9})
	upd := &routingv1.UpdateTeamRequest{Id: resp.GetTeam().GetId(), Team: &routingv1.Team{ServiceArea: bowtie},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"service_area"}}}
	_, err = e.public.UpdateTeam(admin(t, "TST"), upd)
	requireCode(t, err, codes.InvalidArgument, "team.service_area", "must be a valid polygon")
	upd.RepairServiceArea = true
	_, err = e.public.UpdateTeam(admin(t, "TST"), upd)
	requireCode(t, err, codes.InvalidArgument, "team.service_area", "repair would change the area by")
}

// The national 2011 ward layer, simplified more coarsely than the per-
// municipality file data/ ships, gives Cape Town's ward 54 (Robben Island,
// feature 53 of the city's wards there) a ring that crosses itself at
// 18.375018 -33.796343; testdata holds that one feature as the source
// data/README.md names publishes it (the national file of the same data).
func TestTheNationalLayersRobbenIslandWardIsRepairedAndRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cpt := readCollection(t, filepath.Join(dataDir(t), "mdb2011", "municipalities2011.geojson.gz"), func(f map[string]any) bool {
		return f["properties"].(map[string]any)["CAT_B"] == "CPT"
	})
	_, err := e.public.ImportMunicipalities(platform(t), &routingv1.ImportMunicipalitiesRequest{FeatureCollection: toStruct(t, cpt)})
	require.NoError(t, err)
	ward := readCollection(t, filepath.Join("testdata", "ward54_CPT_national2011.geojson"), nil)
	req := &routingv1.ImportTeamsRequest{Tenant: "CPT", Category: water, NameProperty: "WARDNO", NamePrefix: "Water ward ",
		FeatureCollection: toStruct(t, ward), Mode: routingv1.ImportMode_IMPORT_MODE_REFUSE_ALL}
	_, err = e.public.ImportTeams(admin(t, "CPT"), req)
	requireCode(t, err, codes.InvalidArgument, "feature_collection.features[0].geometry", "Ring Self-intersection[18.375018 -33.796343]")

	req.Mode = routingv1.ImportMode_IMPORT_MODE_REPAIR
	res, err := e.public.ImportTeams(admin(t, "CPT"), req)
	require.NoError(t, err)
	require.EqualValues(t, 1, res.GetRepaired())
	f := res.GetFeatures()[0]
	require.Equal(t, "Water ward 54", f.GetName())
	require.Equal(t, "Ring Self-intersection[18.375018 -33.796343]", f.GetInvalidReason())
	require.Less(t, f.GetAreaChangePercent(), 5.0, "within the default limit")
	// Robben Island's prison reaches the repaired ward's team.
	require.Equal(t, "Water ward 54", e.route("CPT", water, -33.8067, 18.3666).GetAssignment().GetTeamName())
}
