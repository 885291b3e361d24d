// Package geojson checks the structure of GeoJSON Polygon and MultiPolygon
// geometries before PostGIS sees them, so a malformed area is refused with the
// field and rule that it broke instead of a database error.
//
// Topological validity (self-intersections) is checked by PostGIS in the
// store; this package only checks what can be seen without a geometry
// engine: types, coordinate ranges, ring sizes and closure, and the CRS.
package geojson

import (
	"encoding/json"
	"fmt"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
)

// MaxAreaVertices bounds the positions of one area: the platform's limit
// (libs/geo), checked here too because areas arrive as protobuf Structs, not
// the raw bytes geo.ParseArea scans. Refusing a million-vertex area here keeps
// it away from GEOS validity checks that would hold a database connection for
// seconds.
const MaxAreaVertices = geo.MaxAreaVertices

// MultiPolygon is a checked geometry, normalised to a MultiPolygon.
type MultiPolygon struct {
	// Coordinates are polygons of rings of [lng, lat] positions.
	Coordinates [][][][2]float64
}

// JSON renders the geometry as GeoJSON for ST_GeomFromGeoJSON.
func (m MultiPolygon) JSON() string {
	b, _ := json.Marshal(map[string]any{"type": "MultiPolygon", "coordinates": m.Coordinates})
	return string(b)
}

// ParseArea checks a decoded GeoJSON geometry (a Polygon or MultiPolygon in
// EPSG:4326) and returns it as a MultiPolygon. Errors are apperr
// InvalidArgument naming field (or a path below it).
func ParseArea(raw map[string]any, field string) (MultiPolygon, error) {
	if raw == nil {
		return MultiPolygon{}, apperr.Invalid(field, "is required")
	}
	if err := checkCRS(raw["crs"], field+".crs"); err != nil {
		return MultiPolygon{}, err
	}
	coords, ok := raw["coordinates"].([]any)
	if !ok {
		return MultiPolygon{}, apperr.Invalid(field+".coordinates", "must be an array")
	}
	budget := MaxAreaVertices
	switch raw["type"] {
	case "Polygon":
		p, err := parsePolygon(coords, field+".coordinates", &budget)
		if err != nil {
			return MultiPolygon{}, err
		}
		return MultiPolygon{Coordinates: [][][][2]float64{p}}, nil
	case "MultiPolygon":
		if len(coords) == 0 {
			return MultiPolygon{}, apperr.Invalid(field+".coordinates", "must hold at least one polygon")
		}
		out := MultiPolygon{}
		for i, pc := range coords {
			path := fmt.Sprintf("%s.coordinates[%d]", field, i)
			arr, ok := pc.([]any)
			if !ok {
				return MultiPolygon{}, apperr.Invalid(path, "must be an array of rings")
			}
			p, err := parsePolygon(arr, path, &budget)
			if err != nil {
				return MultiPolygon{}, err
			}
			out.Coordinates = append(out.Coordinates, p)
		}
		return out, nil
	default:
		return MultiPolygon{}, apperr.Invalid(field+".type", "must be Polygon or MultiPolygon")
	}
}

// checkCRS accepts an absent crs member (GeoJSON's default is WGS84) or a
// named EPSG:4326 / CRS84 one; anything else would put coordinates in another
// reference system that PostGIS would silently mislabel.
func checkCRS(v any, field string) error {
	if v == nil {
		return nil
	}
	crs, _ := v.(map[string]any)
	props, _ := crs["properties"].(map[string]any)
	name, _ := props["name"].(string)
	switch name {
	case "EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84":
		return nil
	}
	return apperr.Invalid(field, "must be EPSG:4326 (SRID 4326 longitude/latitude)")
}

// parsePolygon checks the rings of one polygon; budget is the number of
// positions the whole area may still have and is decremented ring by ring.
func parsePolygon(rings []any, field string, budget *int) ([][][2]float64, error) {
	if len(rings) == 0 {
		return nil, apperr.Invalid(field, "must hold at least one ring")
	}
	out := make([][][2]float64, 0, len(rings))
	for i, rc := range rings {
		path := fmt.Sprintf("%s[%d]", field, i)
		arr, ok := rc.([]any)
		if !ok {
			return nil, apperr.Invalid(path, "must be an array of positions")
		}
		if len(arr) > *budget {
			return nil, apperr.Invalid(field, fmt.Sprintf("an area must have at most %d positions", MaxAreaVertices))
		}
		*budget -= len(arr)
		ring, err := parseRing(arr, path)
		if err != nil {
			return nil, err
		}
		out = append(out, ring)
	}
	return out, nil
}

func parseRing(positions []any, field string) ([][2]float64, error) {
	if len(positions) < 4 {
		return nil, apperr.Invalid(field, "a linear ring must have at least 4 positions")
	}
	ring := make([][2]float64, 0, len(positions))
	for i, pc := range positions {
		path := fmt.Sprintf("%s[%d]", field, i)
		pos, ok := pc.([]any)
		if !ok || len(pos) < 2 || len(pos) > 3 {
			return nil, apperr.Invalid(path, "must be a [longitude, latitude] position")
		}
		lng, ok1 := pos[0].(float64)
		lat, ok2 := pos[1].(float64)
		if !ok1 || !ok2 {
			return nil, apperr.Invalid(path, "coordinates must be numbers")
		}
		if lng < -180 || lng > 180 || lat < -90 || lat > 90 {
			return nil, apperr.Invalid(path, "must be SRID 4326 degrees: longitude -180..180, latitude -90..90")
		}
		ring = append(ring, [2]float64{lng, lat})
	}
	if ring[0] != ring[len(ring)-1] {
		return nil, apperr.Invalid(field, "ring must be closed (first position equal to the last)")
	}
	return ring, nil
}
