package geo_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
)

// FuzzParseAreaJSON feeds arbitrary bytes to the GeoJSON area reader: it
// must never panic, must refuse with InvalidArgument naming the field, and
// whatever it accepts must be a closed, in-range MultiPolygon that encodes
// to EWKB.
func FuzzParseAreaJSON(f *testing.F) {
	seeds := []string{
		`{"type":"Polygon","coordinates":[[[18.4,-33.9],[18.5,-33.9],[18.5,-33.8],[18.4,-33.9]]]}`,
		`{"type":"MultiPolygon","coordinates":[[[[18.4,-33.9],[18.5,-33.9],[18.5,-33.8],[18.4,-33.9]]]]}`,
		`{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}`,
		`{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}`,
		`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}`,
		`{"type":"Point","coordinates":[18.4,-33.9]}`,
		`{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection","geometries":[]}]}`,
		`{"type":"Polygon","coordinates":[[[1e400,0],[1,0],[1,1],[1e400,0]]]}`,
		`{"type":"Polygon","coordinates":[[[NaN,0]]]}`,
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`,
		`{"type":"Polygon","coordinates":"x"}`,
		``,
		`null`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		area, err := geo.ParseAreaJSON(raw, "service_area")
		if err != nil {
			var ae *apperr.Error
			if !errors.As(err, &ae) {
				t.Fatalf("error is not a domain error: %v", err)
			}
			if !strings.Contains(err.Error(), "service_area") {
				t.Fatalf("error does not name the field: %v", err)
			}
			return
		}
		mp := area.MultiPolygon()
		if mp == nil || mp.NumPolygons() == 0 {
			t.Fatalf("accepted %q as an empty area", raw)
		}
		for i := range mp.NumPolygons() {
			p := mp.Polygon(i)
			for j := range p.NumLinearRings() {
				ring := p.LinearRing(j).FlatCoords()
				n := len(ring)
				if n < 8 || ring[0] != ring[n-2] || ring[1] != ring[n-1] {
					t.Fatalf("accepted an unclosed or short ring: %v", ring)
				}
				for k := 0; k < n; k += 2 {
					if ring[k] < -180 || ring[k] > 180 || ring[k+1] < -90 || ring[k+1] > 90 {
						t.Fatalf("accepted an out-of-range position %v,%v", ring[k], ring[k+1])
					}
				}
			}
		}
		if _, err := geo.MultiPolygonEWKB(mp); err != nil {
			t.Fatalf("accepted area does not encode: %v", err)
		}
	})
}
