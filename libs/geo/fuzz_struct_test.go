package geo_test

import (
	"errors"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
)

// FuzzParseAreaFromStruct feeds arbitrary JSON through the path a service
// area takes into routing: protojson into a protobuf Struct (as the gateway
// decodes it), AsMap, then ParseArea. It must never panic, must refuse with
// InvalidArgument naming the field, and whatever it accepts must be closed
// rings of in-range positions within the position and ring limits.
func FuzzParseAreaFromStruct(f *testing.F) {
	seeds := []string{
		`{"type":"Polygon","coordinates":[[[18.4,-33.9],[18.5,-33.9],[18.5,-33.8],[18.4,-33.9]]]}`,
		`{"type":"MultiPolygon","coordinates":[[[[18.4,-33.9],[18.5,-33.9],[18.5,-33.8],[18.4,-33.9]]],[]]}`,
		`{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}`,
		`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,2]]]}`,
		`{"type":"Polygon","coordinates":[[[0,0,0,0],[1,0],[1,1],[0,0]]]}`,
		`{"type":"Polygon","coordinates":[[["0","0"],[1,0],[1,1],["0","0"]]]}`,
		`{"type":"Polygon","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"coordinates":[]}`,
		`{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection","geometries":[]}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null}]}`,
		`{"type":"Feature","geometry":{"type":"Feature","geometry":{}}}`,
		`{"type":"MultiPolygon","coordinates":[[[[[[[[[[[[]]]]]]]]]]]]}`,
		`{"type":"Polygon","coordinates":{"a":1}}`,
		`{}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		st := &structpb.Struct{}
		if protojson.Unmarshal(raw, st) != nil {
			return // the gateway refuses it before routing sees it
		}
		area, err := geo.ParseArea(st.AsMap(), "team.service_area")
		if err != nil {
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code() != codes.InvalidArgument {
				t.Fatalf("refusal is not InvalidArgument: %v", err)
			}
			if len(ae.Violations()) == 0 || !strings.HasPrefix(ae.Violations()[0].Field, "team.service_area") {
				t.Fatalf("refusal does not name the field: %v", ae.Violations())
			}
			return
		}
		mp := area.MultiPolygon()
		if mp.NumPolygons() == 0 {
			t.Fatalf("accepted %s as an empty area", raw)
		}
		positions, rings := 0, 0
		for i := range mp.NumPolygons() {
			p := mp.Polygon(i)
			for j := range p.NumLinearRings() {
				ring := p.LinearRing(j).FlatCoords()
				n := len(ring)
				positions, rings = positions+n/2, rings+1
				if n < 8 || ring[0] != ring[n-2] || ring[1] != ring[n-1] {
					t.Fatalf("accepted an unclosed or short ring: %v", ring)
				}
				for k := 0; k < n; k += 2 {
					if !(ring[k] >= -180 && ring[k] <= 180 && ring[k+1] >= -90 && ring[k+1] <= 90) {
						t.Fatalf("accepted an out-of-range position %v,%v", ring[k], ring[k+1])
					}
				}
			}
		}
		if positions > geo.MaxAreaVertices || rings > geo.MaxAreaRings {
			t.Fatalf("accepted %d positions in %d rings", positions, rings)
		}
		if !strings.Contains(area.JSON(), `"MultiPolygon"`) {
			t.Fatalf("accepted area does not render: %s", area.JSON())
		}
	})
}
