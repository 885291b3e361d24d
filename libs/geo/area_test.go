package geo_test

import (
	"context"
	"fmt"
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

func TestParseAreaRejectsBadGeoJSON(t *testing.T) {
	t.Parallel()
	many := make([]string, 0, 200_001)
	for range 200_001 {
		many = append(many, "[18.4,-33.9]")
	}
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"a point is the wrong type", `{"type":"Point","coordinates":[18.4,-33.9]}`, `invalid service_area: type must be Polygon or MultiPolygon, got "Point"`},
		{"a feature wrapping a line is the wrong type", `{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}}`, `got "LineString"`},
		{"a feature without geometry is rejected", `{"type":"Feature","properties":{}}`, "feature geometry must be"},
		{"a ring of three positions is too short", `{"type":"Polygon","coordinates":[[[18.4,-33.9],[18.5,-33.9],[18.4,-33.9]]]}`, "invalid service_area: polygon 0 ring 0 must have at least 4 positions"},
		{"an unclosed ring is rejected", `{"type":"Polygon","coordinates":[[[18.4,-33.9],[18.5,-33.9],[18.5,-33.8],[18.4,-33.8]]]}`, "invalid service_area: polygon 0 ring 0 must be closed"},
		{"a ring whose ends differ is not closed", `{"type":"Polygon","coordinates":[[[18.4,-33.9],[18.5,-33.9],[18.5,-33.8],[18.4,-33.8],[18.41,-33.9]]]}`, "polygon 0 ring 0 must be closed"},
		{"a latitude of 95 is out of range", `{"type":"Polygon","coordinates":[[[18.4,95],[18.5,-33.9],[18.5,-33.8],[18.4,95]]]}`, "polygon 0 ring 0 position 0 latitude 95 must be between -90 and 90"},
		{"a longitude of 181 is out of range", `{"type":"MultiPolygon","coordinates":[[` + square + `],[[[181,-33.9],[18.5,-33.9],[18.5,-33.8],[181,-33.9]]]]}`, "polygon 1 ring 0 position 0 longitude 181"},
		{"a string coordinate is rejected", `{"type":"Polygon","coordinates":[[["18.4",-33.9]]]}`, "coordinates must be numbers"},
		{"coordinates nested too deep are rejected", `{"type":"Polygon","coordinates":[[[[18.4,-33.9]]]]}`, "must nest exactly 3 arrays deep"},
		{"too many vertices are rejected", `{"type":"Polygon","coordinates":[[` + strings.Join(many, ",") + `]]}`, "at most 200000 vertices"},
		{"not JSON is rejected", `{"type":`, "must be a GeoJSON object"},
		{"missing coordinates are rejected", `{"type":"Polygon"}`, "coordinates are required"},
		{"a huge body is rejected unread", `{"type":"Polygon","coordinates":[]` + strings.Repeat(" ", geo.MaxAreaBytes) + `}`, "at most 20 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := geo.ParseArea([]byte(tt.raw), "service_area")
			st := apperr.ToStatus(context.Background(), err)
			require.Equal(t, codes.InvalidArgument, st.Code(), "err: %v", err)
			require.Contains(t, st.Message(), tt.want)
			require.Contains(t, st.Message(), "service_area")
		})
	}
}

func TestParseAreaAcceptsPolygonMultiPolygonAndFeature(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		`{"type":"Polygon","coordinates":[` + square + `]}`,
		`{"type":"MultiPolygon","coordinates":[[` + square + `]]}`,
		`{"type":"Feature","properties":{"name":"Ward 1"},"geometry":{"type":"Polygon","coordinates":[` + square + `]}}`,
	} {
		mp, err := geo.ParseArea([]byte(raw), "service_area")
		require.NoError(t, err, raw)
		require.Equal(t, 1, mp.NumPolygons())
		require.Equal(t, geo.SRID, mp.SRID())
		require.Equal(t, geom.XY, mp.Layout())
	}
}

func TestMultiPolygonRoundTripsThroughPostGIS(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	hole := `[[18.42,-33.88],[18.42,-33.86],[18.44,-33.86],[18.44,-33.88],[18.42,-33.88]]`
	raw := `{"type":"MultiPolygon","coordinates":[[` + square + `,` + hole + `],[[[28.0,-26.3],[28.1,-26.3],[28.1,-26.2],[28.0,-26.3]]]]}`
	mp, err := geo.ParseArea([]byte(raw), "service_area")
	require.NoError(t, err)
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
	again, err := geo.ParseArea(js, "service_area")
	require.NoError(t, err)
	require.Equal(t, mp.FlatCoords(), again.FlatCoords())
}

func TestCheckValidNamesSelfIntersection(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	bowTie := `{"type":"Polygon","coordinates":[[[18.4,-33.9],[18.5,-33.8],[18.5,-33.9],[18.4,-33.8],[18.4,-33.9]]]}`
	mp, err := geo.ParseArea([]byte(bowTie), "service_area")
	require.NoError(t, err, "the shape is well formed; only PostGIS can see it is invalid")
	b, err := geo.MultiPolygonEWKB(mp)
	require.NoError(t, err)
	err = geo.CheckValid(context.Background(), db, b, "service_area")
	st := apperr.ToStatus(context.Background(), err)
	require.Equal(t, codes.InvalidArgument, st.Code())
	require.Contains(t, st.Message(), "invalid service_area: geometry is not valid: Self-intersection")
}

func TestParseFeatureCollectionReadsDemarcationWards(t *testing.T) {
	t.Parallel()
	f, err := os.Open("../../../shared/data/mdb2011/Wards2011.geojson")
	if err != nil {
		t.Skipf("ward data not available: %v", err)
	}
	defer f.Close()
	features, err := geo.ParseFeatureCollection(f)
	require.NoError(t, err)
	require.Greater(t, len(features), 4000)
	first := features[0]
	require.Equal(t, "WC011", first.Properties["CAT_B"])
	require.Equal(t, geo.SRID, first.Geometry.SRID())
	_, ok := first.Geometry.(*geom.Polygon)
	require.True(t, ok, fmt.Sprintf("%T", first.Geometry))
}

func TestParseFeatureCollectionRejectsOtherJSON(t *testing.T) {
	t.Parallel()
	_, err := geo.ParseFeatureCollection(strings.NewReader(`[1,2]`))
	require.Error(t, err)
	_, err = geo.ParseFeatureCollection(strings.NewReader(`{"type":"FeatureCollection"}`))
	require.ErrorContains(t, err, "no features")
	fs, err := geo.ParseFeatureCollection(strings.NewReader(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},"geometry":null}]}`))
	require.NoError(t, err)
	require.Len(t, fs, 1)
	require.Nil(t, fs[0].Geometry)
}

func mustPoint(t *testing.T, lat, lng float64) []byte {
	t.Helper()
	b, err := geo.PointEWKB(lat, lng)
	require.NoError(t, err)
	return b
}
