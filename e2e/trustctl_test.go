package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/geo"
	"github.com/salga/trustengine/libs/geo/shp/shptest"
)

// metros are the eight metropolitan municipalities whose wards data/mdb2011
// ships, with their ward counts.
var metros = map[string]int{"BUF": 50, "CPT": 111, "EKU": 101, "ETH": 103, "JHB": 130, "MAN": 49, "NMA": 60, "TSH": 105}

// trustctlTotals is the summary table trustctl ends an import with.
var trustctlTotals = regexp.MustCompile(`(?m)^created\s+updated\s+repaired\s+refused\n(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$`)

// trustctl runs the command against the suite as a platform admin and
// returns its output and the four totals of an import.
func (s *suite) trustctl(t *testing.T, args ...string) (string, [4]int) {
	t.Helper()
	out, err := runCommand(t, "trustctl", args, []string{"TRUSTENGINE_TOKEN=" + s.token("ops", "*", "platform_admin"),
		"TRUSTENGINE_ROUTING_ADDR=" + s.routingAddr})
	require.NoError(t, err, out)
	var totals [4]int
	m := trustctlTotals.FindStringSubmatch(out)
	require.NotNil(t, m, out)
	for i := range totals {
		totals[i], _ = strconv.Atoi(m[i+1])
	}
	return out, totals
}

func TestTrustctlImportsEveryWardOfTheEightMetros(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{})
	data := filepath.Join(repoData(), "mdb2011")
	out, totals := s.trustctl(t, "import-municipalities", filepath.Join(data, "municipalities2011.geojson.gz"))
	require.Equal(t, [4]int{234, 0, 3, 0}, totals, out)
	require.Contains(t, out, "imported 200/234 features", "progress after each batch")

	ctx := context.Background()
	repaired := 0
	for metro, wards := range metros {
		file := filepath.Join(data, "wards2011_"+metro+".geojson.gz")
		out, totals := s.trustctl(t, "import-wards", "-tenant", metro, "-category", "water", "-name-pattern", "Water ward {WARDNO}", file)
		invalid := repairedWards(t, s.db, file)
		require.Equal(t, [4]int{wards, 0, len(invalid), 0}, totals, "%s: %s", metro, out)
		repaired += totals[2]
		rc := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, s.token("agent-"+metro, metro, "agent")))
		for _, w := range invalid {
			require.Contains(t, out, "Water ward "+w.wardNo)
			resp, err := rc.ExplainRoute(ctx, &routingv1.ExplainRouteRequest{Category: commonv1.Category_CATEGORY_WATER,
				Location: &commonv1.LatLng{Latitude: w.lat, Longitude: w.lng}})
			require.NoError(t, err)
			require.Equal(t, "Water ward "+w.wardNo, resp.GetDecision().GetTeamName(), "%s ward %s", metro, w.wardNo)
			require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_GEOSPATIAL_ROUTING, resp.GetDecision().GetReason())
		}
	}
	require.Equal(t, 13, repaired, "the invalid wards of the eight metros")
	out, err := runCommand(t, "trustctl", []string{"teams", "list", "-tenant", "JHB", "-category", "water"},
		[]string{"TRUSTENGINE_TOKEN=" + s.token("ops", "*", "platform_admin"), "TRUSTENGINE_ROUTING_ADDR=" + s.routingAddr})
	require.NoError(t, err, out)
	require.Contains(t, out, "130 teams")
	require.Regexp(t, `(?m)^Water ward 113\s+water\s+false\s+true\s`, out)
}

// Hartebeesthoek94 / Lo19 as EPSG writes it (south-orientated: westing,
// southing) and WGS 84 / UTM 34S as ESRI writes it, for the .prj files.
const (
	prjLo19   = `PROJCS["Hartebeesthoek94 / Lo19",GEOGCS["Hartebeesthoek94",DATUM["Hartebeesthoek94",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator_South_Orientated"],PARAMETER["central_meridian",19],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1],AXIS["Westing",WEST],AXIS["Southing",SOUTH],AUTHORITY["EPSG","2048"]]`
	prjUTM34S = `PROJCS["WGS_1984_UTM_Zone_34S",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",21.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
)

func TestTrustctlImportsAZippedShapefileWhereTheGeoJSONLands(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{})
	data := filepath.Join(repoData(), "mdb2011")
	fc, err := geo.ReadCollectionFile(filepath.Join(data, "municipalities2011.geojson.gz"))
	require.NoError(t, err)
	var cpt []any
	for _, f := range fc["features"].([]any) {
		if f.(map[string]any)["properties"].(map[string]any)["CAT_B"] == "CPT" {
			cpt = append(cpt, f)
		}
	}
	dir := t.TempDir()
	one, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": cpt})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cpt.geojson"), one, 0o600))
	_, totals := s.trustctl(t, "import-municipalities", filepath.Join(dir, "cpt.geojson"))
	require.Equal(t, 1, totals[0])

	// Ward 77 (City Hall) as published, in WGS 84.
	wards, err := geo.ReadCollectionFile(filepath.Join(data, "wards2011_CPT.geojson.gz"))
	require.NoError(t, err)
	var ward map[string]any
	for _, f := range wards["features"].([]any) {
		if f.(map[string]any)["properties"].(map[string]any)["WARDNO"] == 77.0 {
			ward = f.(map[string]any)
		}
	}
	one, err = json.Marshal(map[string]any{"type": "FeatureCollection", "features": []any{ward}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ward77.geojson"), one, 0o600))
	_, totals = s.trustctl(t, "import-wards", "-tenant", "CPT", "-category", "water", "-name-pattern", "WGS84 {WARDNO}", filepath.Join(dir, "ward77.geojson"))
	require.Equal(t, [4]int{1, 0, 0, 0}, totals)
	geometry, err := json.Marshal(ward["geometry"])
	require.NoError(t, err)

	for _, c := range []struct {
		name, prj string
		srid      int
	}{{"Lo19", prjLo19, 2048}, {"UTM34S", prjUTM34S, 32734}} {
		// The ward's rings in the grid, reprojected by PostGIS here, then
		// written as a zipped shapefile with the grid's .prj.
		var rings [][][2]float64
		rows, err := s.db.Query(context.Background(), `SELECT (d).path[1], (d).path[2], ST_X((d).geom), ST_Y((d).geom) FROM
			(SELECT ST_DumpPoints(ST_Multi(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326), $2::int))) d) x
			ORDER BY (d).path[1], (d).path[2], (d).path[3]`, string(geometry), c.srid)
		require.NoError(t, err)
		last := [2]int{}
		for rows.Next() {
			var polygon, ring int
			var x, y float64
			require.NoError(t, rows.Scan(&polygon, &ring, &x, &y))
			if [2]int{polygon, ring} != last {
				rings, last = append(rings, nil), [2]int{polygon, ring}
			}
			rings[len(rings)-1] = append(rings[len(rings)-1], [2]float64{x, y})
		}
		require.NoError(t, rows.Err())
		var zipped bytes.Buffer
		require.NoError(t, shptest.WriteZip(&zipped, shptest.Layer{Name: "Wards2011_" + c.name, Projection: c.prj,
			Fields:  []shptest.Field{{Name: "WARD", Kind: 'C', Length: 8}, {Name: "WARDNO", Kind: 'N', Length: 4}},
			Records: []shptest.Record{{Rings: rings, Values: []any{"19100077", 77.0}}}}))
		path := filepath.Join(dir, c.name+".zip")
		require.NoError(t, os.WriteFile(path, zipped.Bytes(), 0o600))
		out, totals := s.trustctl(t, "import-wards", "-tenant", "CPT", "-category", "water", "-name-pattern", c.name+" {WARDNO}", path)
		require.Equal(t, [4]int{1, 0, 0, 0}, totals, out)
		require.Contains(t, out, "EPSG:"+strconv.Itoa(c.srid), "the SRID comes from the .prj")

		// It lands where the WGS 84 ward does: within a few centimetres.
		var gap float64
		require.NoError(t, s.db.QueryRow(context.Background(), `SELECT ST_HausdorffDistance(a.service_area::geography::geometry, b.service_area)
			FROM routing.teams a, routing.teams b WHERE a.name = $1 AND b.name = 'WGS84 77'`, c.name+" 77").Scan(&gap))
		require.Less(t, gap, 1e-6, c.name)
	}
}
