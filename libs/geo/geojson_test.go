package geo_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
)

func ring(pts ...[2]float64) []any {
	out := make([]any, 0, len(pts))
	for _, p := range pts {
		out = append(out, []any{p[0], p[1]})
	}
	return out
}

var box = ring([2]float64{18, -34}, [2]float64{19, -34}, [2]float64{19, -33}, [2]float64{18, -33}, [2]float64{18, -34})

func TestParseArea(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		raw   map[string]any
		field string // empty means valid
		polys int
	}{
		{"a polygon becomes a one-part multipolygon", map[string]any{"type": "Polygon", "coordinates": []any{box}}, "", 1},
		{"a multipolygon keeps its parts", map[string]any{"type": "MultiPolygon", "coordinates": []any{[]any{box}, []any{box}}}, "", 2},
		{"a CRS84 crs member is accepted", map[string]any{"type": "Polygon", "coordinates": []any{box},
			"crs": map[string]any{"properties": map[string]any{"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}}, "", 1},
		{"a Feature wrapping a polygon is accepted", map[string]any{"type": "Feature", "geometry": map[string]any{"type": "Polygon", "coordinates": []any{box}}}, "", 1},
		{"a NaN longitude is refused", map[string]any{"type": "Polygon", "coordinates": []any{ring(
			[2]float64{math.NaN(), -34}, [2]float64{19, -34}, [2]float64{19, -33}, [2]float64{math.NaN(), -34})}}, "area.coordinates[0][0]", 0},
		{"a missing geometry is refused", nil, "area", 0},
		{"a LineString is refused", map[string]any{"type": "LineString", "coordinates": box}, "area.type", 0},
		{"an empty multipolygon is refused", map[string]any{"type": "MultiPolygon", "coordinates": []any{}}, "area.coordinates", 0},
		{"text coordinates are refused", map[string]any{"type": "Polygon", "coordinates": []any{[]any{"a", "b", "c", "d"}}}, "area.coordinates[0][0]", 0},
		{"a latitude beyond 90 is refused", map[string]any{"type": "Polygon", "coordinates": []any{ring(
			[2]float64{18, -34}, [2]float64{19, -95}, [2]float64{19, -33}, [2]float64{18, -34})}}, "area.coordinates[0][1]", 0},
		{"an open ring is refused", map[string]any{"type": "Polygon", "coordinates": []any{ring(
			[2]float64{18, -34}, [2]float64{19, -34}, [2]float64{19, -33}, [2]float64{18, -33})}}, "area.coordinates[0]", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mp, err := geo.ParseArea(tc.raw, "area")
			if tc.field == "" {
				require.NoError(t, err)
				require.Equal(t, tc.polys, mp.MultiPolygon().NumPolygons())
				require.Contains(t, mp.JSON(), `"type":"MultiPolygon"`)
				return
			}
			var ae *apperr.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, tc.field, ae.Violations()[0].Field)
		})
	}
}

func TestParseFeatureCollectionNamesTheBadFeature(t *testing.T) {
	t.Parallel()
	good := map[string]any{"type": "Feature", "properties": map[string]any{"WARDNO": 7.0},
		"geometry": map[string]any{"type": "Polygon", "coordinates": []any{box}}}
	bad := map[string]any{"type": "Feature", "geometry": map[string]any{"type": "Point", "coordinates": []any{18.0, -34.0}}}
	fs, err := geo.ParseFeatureCollection(map[string]any{"type": "FeatureCollection", "features": []any{good}}, "fc")
	require.NoError(t, err)
	require.Equal(t, "7", fs[0].Property("WARDNO"))

	_, err = geo.ParseFeatureCollection(map[string]any{"type": "FeatureCollection", "features": []any{good, bad}}, "fc")
	var ae *apperr.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, "fc.features[1].geometry.type", ae.Violations()[0].Field)
}

func TestParseAreaRefusesAMillionVertices(t *testing.T) {
	t.Parallel()
	// closed returns a closed ring of n positions along a parallel and back.
	closed := func(n int) []any {
		out := make([]any, 0, n)
		for i := range n - 1 {
			out = append(out, []any{18 + float64(i)*1e-7, -34.0})
		}
		return append(out, []any{18.0, -34.0})
	}
	million, part := closed(1_000_000), closed(150_000)
	tests := []struct {
		name string
		raw  map[string]any
	}{
		{"a polygon of a million positions is refused", map[string]any{"type": "Polygon", "coordinates": []any{million}}},
		{"a multipolygon whose parts add up past the limit is refused", map[string]any{"type": "MultiPolygon", "coordinates": []any{
			[]any{part}, []any{part}}}},
		{"a multipolygon of more rings than the limit is refused", map[string]any{"type": "MultiPolygon", "coordinates": manyRings(geo.MaxAreaRings + 1)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := geo.ParseArea(tc.raw, "area")
			var ae *apperr.Error
			require.ErrorAs(t, err, &ae)
			require.Regexp(t, "at most (200000 positions|10000 rings)", ae.Violations()[0].Rule)
		})
	}
}

// manyRings is n one-ring polygons, each a tiny closed square.
func manyRings(n int) []any {
	out := make([]any, 0, n)
	for range n {
		out = append(out, []any{box})
	}
	return out
}

func TestParseFeaturesKeepsEachBadFeaturesReason(t *testing.T) {
	t.Parallel()
	good := map[string]any{"type": "Feature", "geometry": map[string]any{"type": "Polygon", "coordinates": []any{box}}}
	point := map[string]any{"type": "Feature", "geometry": map[string]any{"type": "Point", "coordinates": []any{18.0, -34.0}}}
	fs, err := geo.ParseFeatures(map[string]any{"type": "FeatureCollection", "features": []any{point, good, "text"}}, "fc", geo.SRID)
	require.NoError(t, err)
	require.Len(t, fs, 3)
	var ae *apperr.Error
	require.ErrorAs(t, fs[0].Err, &ae)
	require.Equal(t, "fc.features[0].geometry.type", ae.Violations()[0].Field)
	require.NoError(t, fs[1].Err)
	require.ErrorAs(t, fs[2].Err, &ae)
	require.Equal(t, "fc.features[2].type", ae.Violations()[0].Field)
}

func TestParseFeaturesRefusesMoreThanMaxFeatures(t *testing.T) {
	t.Parallel()
	good := map[string]any{"type": "Feature", "geometry": map[string]any{"type": "Polygon", "coordinates": []any{box}}}
	items := make([]any, geo.MaxFeatures+1)
	for i := range items {
		items[i] = good
	}
	_, err := geo.ParseFeatures(map[string]any{"type": "FeatureCollection", "features": items}, "fc", geo.SRID)
	var ae *apperr.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, "fc.features", ae.Violations()[0].Field)
	require.Contains(t, ae.Violations()[0].Rule, "at most 100000 features")
}

func TestParseFeaturesTakesMetresOnlyWithAnotherSRID(t *testing.T) {
	t.Parallel()
	// Hartebeesthoek94 Lo19 (EPSG:2048): metres west and south of 19°E.
	ring := []any{[]any{-50000.0, 3700000.0}, []any{-40000.0, 3700000.0}, []any{-40000.0, 3710000.0}, []any{-50000.0, 3700000.0}}
	f := map[string]any{"type": "Feature", "geometry": map[string]any{"type": "Polygon", "coordinates": []any{ring}}}
	fc := map[string]any{"type": "FeatureCollection", "features": []any{f}}
	fs, err := geo.ParseFeatures(fc, "fc", 2048)
	require.NoError(t, err)
	require.NoError(t, fs[0].Err)
	require.Equal(t, 2048, fs[0].Geometry.MultiPolygon().SRID())
	fs, err = geo.ParseFeatures(fc, "fc", geo.SRID)
	require.NoError(t, err)
	require.ErrorContains(t, fs[0].Err, "must be SRID 4326 degrees")
	f["geometry"].(map[string]any)["crs"] = map[string]any{"type": "name", "properties": map[string]any{"name": "EPSG:4326"}}
	fs, err = geo.ParseFeatures(fc, "fc", 2048)
	require.NoError(t, err)
	require.ErrorContains(t, fs[0].Err, "must name EPSG:2048")
}
