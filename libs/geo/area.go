package geo

import (
	"encoding/json"
	"fmt"

	"github.com/twpayne/go-geom"

	"github.com/salga/trustengine/libs/apperr"
)

// Limits on an uploaded service area. A municipality's boundary has tens of
// thousands of vertices at most; anything far larger is a mistake or an attack.
const (
	MaxAreaBytes    = 20 << 20
	MaxAreaVertices = 200_000
	MaxAreaRings    = 10_000
)

// areaObject is the part of a GeoJSON object ParseArea looks at.
type areaObject struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
	Geometry    json.RawMessage `json:"geometry"`
}

// ParseArea parses an untrusted GeoJSON Polygon or MultiPolygon (bare, or wrapped in
// a Feature) into a MultiPolygon with SRID 4326. It enforces the size limits before
// decoding coordinates, then checks every position is a finite longitude/latitude in
// range and every ring has at least four positions and is closed. Geometric validity
// (self-intersection) is left to CheckValid in PostGIS. Errors are apperr
// InvalidArgument naming field.
func ParseArea(raw []byte, field string) (*geom.MultiPolygon, error) {
	if len(raw) > MaxAreaBytes {
		return nil, apperr.Invalid(field, fmt.Sprintf("must be at most %d MB of GeoJSON", MaxAreaBytes>>20))
	}
	var obj areaObject
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, apperr.Invalid(field, "must be a GeoJSON object: "+err.Error())
	}
	if obj.Type == "Feature" {
		// Unwrap exactly one level; a Feature inside a Feature is not GeoJSON.
		var inner areaObject
		if err := json.Unmarshal(obj.Geometry, &inner); err != nil || inner.Type == "Feature" {
			return nil, apperr.Invalid(field, "feature geometry must be a GeoJSON Polygon or MultiPolygon")
		}
		obj = inner
	}
	var depth int
	switch obj.Type {
	case "Polygon":
		depth = 3
	case "MultiPolygon":
		depth = 4
	default:
		return nil, apperr.Invalid(field, fmt.Sprintf("type must be Polygon or MultiPolygon, got %q", obj.Type))
	}
	if len(obj.Coordinates) == 0 || string(obj.Coordinates) == "null" {
		return nil, apperr.Invalid(field, "coordinates are required")
	}
	if err := scanShape(obj.Coordinates, depth); err != nil {
		return nil, apperr.Invalid(field, err.Error())
	}
	var polys [][][][]float64
	if depth == 3 {
		var poly [][][]float64
		if err := json.Unmarshal(obj.Coordinates, &poly); err != nil {
			return nil, apperr.Invalid(field, "coordinates must be arrays of numbers: "+err.Error())
		}
		polys = [][][][]float64{poly}
	} else if err := json.Unmarshal(obj.Coordinates, &polys); err != nil {
		return nil, apperr.Invalid(field, "coordinates must be arrays of numbers: "+err.Error())
	}
	return buildMultiPolygon(polys, field)
}

// scanShape walks the raw coordinates once, without allocating, to reject nesting
// deeper than want and more vertices or rings than allowed before json decoding
// builds the nested slices.
func scanShape(raw []byte, want int) error {
	depth, vertices, rings := 0, 0, 0
	for _, c := range raw {
		switch c {
		case '[':
			depth++
			if depth > want {
				return fmt.Errorf("coordinates must nest exactly %d arrays deep", want)
			}
			switch depth {
			case want:
				if vertices++; vertices > MaxAreaVertices {
					return fmt.Errorf("must have at most %d vertices", MaxAreaVertices)
				}
			case want - 1:
				if rings++; rings > MaxAreaRings {
					return fmt.Errorf("must have at most %d rings", MaxAreaRings)
				}
			}
		case ']':
			depth--
		case '"':
			return fmt.Errorf("coordinates must be numbers")
		}
	}
	return nil
}

// buildMultiPolygon validates decoded coordinates and packs them into go-geom's
// flat representation.
func buildMultiPolygon(polys [][][][]float64, field string) (*geom.MultiPolygon, error) {
	if len(polys) == 0 {
		return nil, apperr.Invalid(field, "must contain at least one polygon")
	}
	var flat []float64
	endss := make([][]int, 0, len(polys))
	for pi, poly := range polys {
		if len(poly) == 0 {
			return nil, apperr.Invalid(field, fmt.Sprintf("polygon %d must have at least one ring", pi))
		}
		ends := make([]int, 0, len(poly))
		for ri, ring := range poly {
			where := fmt.Sprintf("polygon %d ring %d", pi, ri)
			if len(ring) < 4 {
				return nil, apperr.Invalid(field, where+" must have at least 4 positions")
			}
			for vi, pos := range ring {
				if err := checkPosition(pos); err != nil {
					return nil, apperr.Invalid(field, fmt.Sprintf("%s position %d %s", where, vi, err))
				}
				flat = append(flat, pos[0], pos[1])
			}
			first, last := ring[0], ring[len(ring)-1]
			if first[0] != last[0] || first[1] != last[1] {
				return nil, apperr.Invalid(field, where+" must be closed (first position equal to last)")
			}
			ends = append(ends, len(flat))
		}
		endss = append(endss, ends)
	}
	return geom.NewMultiPolygonFlat(geom.XY, flat, endss).SetSRID(SRID), nil
}

// checkPosition accepts [lon, lat] or [lon, lat, z]; z is dropped because service
// areas are flat.
func checkPosition(pos []float64) error {
	if len(pos) < 2 || len(pos) > 3 {
		return fmt.Errorf("must be [longitude, latitude]")
	}
	lng, lat := pos[0], pos[1]
	if !finite(lng) || !finite(lat) {
		return fmt.Errorf("must be finite")
	}
	if lng < -180 || lng > 180 {
		return fmt.Errorf("longitude %v must be between -180 and 180", lng)
	}
	if lat < -90 || lat > 90 {
		return fmt.Errorf("latitude %v must be between -90 and 90", lat)
	}
	return nil
}
