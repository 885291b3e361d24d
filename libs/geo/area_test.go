package geo_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/twpayne/go-geom"
	"google.golang.org/grpc/codes"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
)

const square = `[[18.4,-33.9],[18.5,-33.9],[18.5,-33.8],[18.4,-33.8],[18.4,-33.9]]`

func TestParseAreaJSONRefusesBadGeoJSONNamingThePath(t *testing.T) {
	t.Parallel()
	many := make([]string, 0, 200_001)
	for range 200_001 {
		many = append(many, "[18.4,-33.9]")
	}
	tests := []struct {
		name, raw, field, rule string
	}{
		{"a point is the wrong type", `{"type":"Point","coordinates":[18.4,-33.9]}`, "service_area.type", "must be Polygon or MultiPolygon"},
		{"a feature wrapping a line is the wrong type", `{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}}`,
			"service_area.geometry.type", "must be Polygon or MultiPolygon"},
		{"a feature without geometry is refused", `{"type":"Feature","properties":{}}`, "service_area.geometry", "must be a GeoJSON Polygon or MultiPolygon"},
		{"a feature inside a feature is refused", `{"type":"Feature","geometry":{"type":"Feature","geometry":{"type":"Polygon","coordinates":[` + square + `]}}}`,
			"service_area.geometry", "must be a GeoJSON Polygon or MultiPolygon"},
		{"a ring of three positions is too short", `{"type":"Polygon","coordinates":[[[18.4,-33.9],[18.5,-33.9],[18.4,-33.9]]]}`,
			"service_area.coordinates[0]", "a linear ring must have at least 4 positions"},
		{"an unclosed ring is refused", `{"type":"Polygon","coordinates":[[[18.4,-33.9],[18.5,-33.9],[18.5,-33.8],[18.4,-33.8]]]}`,
			"service_area.coordinates[0]", "ring must be closed (first position equal to the last)"},
		{"a latitude of 95 is out of range", `{"type":"Polygon","coordinates":[[[18.4,95],[18.5,-33.9],[18.5,-33.8],[18.4,95]]]}`,
			"service_area.coordinates[0][0]", "must be SRID 4326 degrees: longitude -180..180, latitude -90..90"},
		{"a longitude of 181 in a second polygon is out of range", `{"type":"MultiPolygon","coordinates":[[` + square + `],[[[181,-33.9],[18.5,-33.9],[18.5,-33.8],[181,-33.9]]]]}`,
			"service_area.coordinates[1][0][0]", "must be SRID 4326 degrees"},
		{"a string coordinate is refused", `{"type":"Polygon","coordinates":[[["18.4",-33.9],[1,0],[1,1],["18.4",-33.9]]]}`,
			"service_area.coordinates[0][0]", "coordinates must be numbers"},
		{"coordinates nested too deep are refused before decoding", `{"type":"Polygon","coordinates":[[[[[18.4,-33.9]]]]]}`,
			"service_area", "must not nest more than 4 arrays deep"},
		{"too many positions are refused before decoding", `{"type":"Polygon","coordinates":[[` + strings.Join(many, ",") + `]]}`,
			"service_area", "an area must have at most 200000 positions"},
		{"text that is not JSON is refused", `{"type":`, "service_area", "must be one GeoJSON object"},
		{"two objects are refused", `{"type":"Polygon"} {}`, "service_area", "must be one GeoJSON object"},
		{"missing coordinates are refused", `{"type":"Polygon"}`, "service_area.coordinates", "must be an array"},
		{"another CRS is refused", `{"type":"Polygon","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"coordinates":[` + square + `]}`,
			"service_area.crs", "must be EPSG:4326"},
		{"a huge body is refused unread", `{"type":"Polygon","coordinates":[]` + strings.Repeat(" ", geo.MaxAreaBytes) + `}`, "service_area", "at most 20 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := geo.ParseAreaJSON([]byte(tt.raw), "service_area")
			requireViolation(t, err, tt.field, tt.rule)
		})
	}
}

// requireViolation asserts err is InvalidArgument naming field with rule.
func requireViolation(t *testing.T, err error, field, rule string) {
	t.Helper()
	var ae *apperr.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, codes.InvalidArgument, ae.Code())
	require.Equal(t, field, ae.Violations()[0].Field, "%v", err)
	require.Contains(t, ae.Violations()[0].Rule, rule)
}

func TestParseAreaJSONAcceptsPolygonMultiPolygonAndFeature(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		`{"type":"Polygon","coordinates":[` + square + `]}`,
		`{"type":"MultiPolygon","coordinates":[[` + square + `]]}`,
		`{"type":"Feature","properties":{"name":"Ward 1"},"geometry":{"type":"Polygon","coordinates":[` + square + `]}}`,
		`{"type":"Polygon","coordinates":[[[18.4,-33.9,12],[18.5,-33.9,12],[18.5,-33.8,12],[18.4,-33.8,12],[18.4,-33.9,12]]]}`,
	} {
		a, err := geo.ParseAreaJSON([]byte(raw), "service_area")
		require.NoError(t, err, raw)
		mp := a.MultiPolygon()
		require.Equal(t, 1, mp.NumPolygons())
		require.Equal(t, geo.SRID, mp.SRID())
		require.Equal(t, geom.XY, mp.Layout(), "a height is dropped")
		require.Contains(t, a.JSON(), `"type":"MultiPolygon"`)
	}
}

func TestMultiPolygonRoundTripsThroughPostGIS(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	hole := `[[18.42,-33.88],[18.42,-33.86],[18.44,-33.86],[18.44,-33.88],[18.42,-33.88]]`
	raw := `{"type":"MultiPolygon","coordinates":[[` + square + `,` + hole + `],[[[28.0,-26.3],[28.1,-26.3],[28.1,-26.2],[28.0,-26.3]]]]}`
	area, err := geo.ParseAreaJSON([]byte(raw), "service_area")
	require.NoError(t, err)
	mp := area.MultiPolygon()
	b, err := geo.MultiPolygonEWKB(mp)
	require.NoError(t, err)
	require.NoError(t, geo.CheckValid(ctx, db, b, "service_area"))

	var gtype string
	var srid, rings int
	var contains bool
	var back []byte
	require.NoError(t, db.QueryRow(ctx, `SELECT GeometryType(g), ST_SRID(g), ST_NRings(g),
		ST_Contains(g, ST_GeomFromEWKB($2)), ST_AsEWKB(g) FROM (SELECT ST_GeomFromEWKB($1) g) s`,
		b, mustPoint(t, -33.89, 18.41)).Scan(&gtype, &srid, &rings, &contains, &back))
	require.Equal(t, "MULTIPOLYGON", gtype)
	require.Equal(t, geo.SRID, srid)
	require.Equal(t, 3, rings)
	require.True(t, contains)

	g, err := geo.DecodeEWKB(back)
	require.NoError(t, err)
	require.Equal(t, mp.FlatCoords(), g.FlatCoords())
	require.Equal(t, mp.Endss(), g.(*geom.MultiPolygon).Endss())
	js, err := geo.ToGeoJSON(g)
	require.NoError(t, err)
	again, err := geo.ParseAreaJSON(js, "service_area")
	require.NoError(t, err)
	require.Equal(t, mp.FlatCoords(), again.MultiPolygon().FlatCoords())
	require.JSONEq(t, area.JSON(), string(js), "the area renders as PostGIS gives it back")
}

func TestCheckValidNamesSelfIntersection(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	bowTie := `{"type":"Polygon","coordinates":[[[18.4,-33.9],[18.5,-33.8],[18.5,-33.9],[18.4,-33.8],[18.4,-33.9]]]}`
	area, err := geo.ParseAreaJSON([]byte(bowTie), "service_area")
	require.NoError(t, err, "the shape is well formed; only PostGIS can see it is invalid")
	b, err := geo.MultiPolygonEWKB(area.MultiPolygon())
	require.NoError(t, err)
	err = geo.CheckValid(context.Background(), db, b, "service_area")
	st := apperr.ToStatus(context.Background(), err)
	require.Equal(t, codes.InvalidArgument, st.Code())
	require.Contains(t, st.Message(), "invalid service_area: geometry is not valid: Self-intersection")
}

func TestEveryShippedWardOfCapeTownIsAnArea(t *testing.T) {
	t.Parallel()
	f, err := os.Open("../../data/mdb2011/wards2011_CPT.geojson.gz")
	require.NoError(t, err, "the repository ships the metros' wards")
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	var fc map[string]any
	require.NoError(t, json.NewDecoder(zr).Decode(&fc))
	features, err := geo.ParseFeatureCollection(fc, "feature_collection")
	require.NoError(t, err)
	require.Greater(t, len(features), 100)
	for _, f := range features {
		require.NotEmpty(t, f.Property("WARD"), "feature %d", f.Index)
		require.Equal(t, geo.SRID, f.Geometry.MultiPolygon().SRID())
	}
}

func mustPoint(t *testing.T, lat, lng float64) []byte {
	t.Helper()
	b, err := geo.PointEWKB(lat, lng)
	require.NoError(t, err)
	return b
}
