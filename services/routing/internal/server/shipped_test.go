package server_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// shippedCollection reads a FeatureCollection of the boundaries the
// repository ships (data/mdb2011/<name>, gzip-compressed GeoJSON), keeping
// the features keep accepts (nil: all).
func shippedCollection(t *testing.T, name string, keep func(props map[string]any) bool) map[string]any {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "data", "mdb2011")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "data/mdb2011 is shipped in the repository")
		dir = parent
	}
	f, err := os.Open(filepath.Join(dir, "data", "mdb2011", name))
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

// madeValid replaces each feature's geometry that PostGIS finds invalid
// (four simplified 2011 Cape Town wards have self-touching rings) by its
// polygonal ST_MakeValid, as a municipality would before a strict import.
func (e *env) madeValid(fc map[string]any) map[string]any {
	e.t.Helper()
	for _, feat := range fc["features"].([]any) {
		f := feat.(map[string]any)
		g, err := json.Marshal(f["geometry"])
		require.NoError(e.t, err)
		var fixed string
		require.NoError(e.t, e.pool.QueryRow(context.Background(), `SELECT CASE WHEN ST_IsValid(g) THEN ''
			ELSE ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3))) END
			FROM (SELECT ST_GeomFromGeoJSON($1::text) AS g) x`, string(g)).Scan(&fixed))
		if fixed != "" {
			var m map[string]any
			require.NoError(e.t, json.Unmarshal([]byte(fixed), &m))
			f["geometry"] = m
		}
	}
	return fc
}

// sqKm is the spheroidal area of a GeoJSON geometry in square kilometres.
func (e *env) sqKm(geometry any) float64 {
	e.t.Helper()
	g, err := json.Marshal(geometry)
	require.NoError(e.t, err)
	var a float64
	require.NoError(e.t, e.pool.QueryRow(context.Background(),
		`SELECT ST_Area(ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326)::geography) / 1e6`, string(g)).Scan(&a))
	return a
}

// wardNo is the WARDNO property of a ward feature's properties.
func wardNo(props map[string]any) int { return int(props["WARDNO"].(float64)) }
