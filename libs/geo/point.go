// Package geo moves PostGIS geometries (SRID 4326, longitude/latitude) in and out of
// Go through go-geom, and validates untrusted coordinates and GeoJSON before they
// reach the database.
//
// Geometries travel as EWKB bytea parameters: write with ST_GeomFromEWKB($1) and read
// with ST_AsEWKB(column). Decoders also accept the hex text form that a bare geometry
// column yields in text format.
package geo

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/ewkb"

	"github.com/salga/trustengine/libs/apperr"
)

// SRID is WGS 84 longitude/latitude, the only spatial reference Trust Engine stores.
const SRID = 4326

// South Africa's bounding area, generous enough to include border towns and the
// coast. Marion Island is outside it, which is fine for municipal tickets.
const (
	MinLatSA = -35.5
	MaxLatSA = -21.5
	MinLngSA = 16.0
	MaxLngSA = 33.5
)

// LatLng is a WGS 84 position.
type LatLng struct {
	// Lat is the latitude in degrees, positive north.
	Lat float64
	// Lng is the longitude in degrees, positive east.
	Lng float64
}

// ValidatePoint checks a reported position: both numbers finite, latitude within
// [-90, 90] and longitude within [-180, 180], and the point inside South
// Africa's bounding area, each violation naming field.latitude or
// field.longitude. The error is an apperr InvalidArgument.
func ValidatePoint(lat, lng float64, field string) error {
	if vs := PointViolations(lat, lng, field, true); len(vs) > 0 {
		return apperr.InvalidFields(vs...)
	}
	return nil
}

// PointViolations lists what is wrong with a position, for callers that
// check it together with other fields: not finite or out of range, and, when
// inSA is set, outside South Africa's bounding area.
func PointViolations(lat, lng float64, field string, inSA bool) []apperr.FieldViolation {
	var vs []apperr.FieldViolation
	switch {
	case !finite(lat) || lat < -90 || lat > 90:
		vs = append(vs, apperr.FieldViolation{Field: field + ".latitude", Rule: "must be a finite number between -90 and 90"})
	case inSA && (lat < MinLatSA || lat > MaxLatSA):
		vs = append(vs, apperr.FieldViolation{Field: field + ".latitude",
			Rule: fmt.Sprintf("must be inside South Africa (%g to %g)", MinLatSA, MaxLatSA)})
	}
	switch {
	case !finite(lng) || lng < -180 || lng > 180:
		vs = append(vs, apperr.FieldViolation{Field: field + ".longitude", Rule: "must be a finite number between -180 and 180"})
	case inSA && (lng < MinLngSA || lng > MaxLngSA):
		vs = append(vs, apperr.FieldViolation{Field: field + ".longitude",
			Rule: fmt.Sprintf("must be inside South Africa (%g to %g)", MinLngSA, MaxLngSA)})
	}
	return vs
}

// PointEWKB encodes a point as EWKB with SRID 4326, for ST_GeomFromEWKB($1).
func PointEWKB(lat, lng float64) ([]byte, error) {
	if !finite(lat) || !finite(lng) {
		return nil, fmt.Errorf("geo.PointEWKB: non-finite coordinate (%v, %v)", lat, lng)
	}
	p := geom.NewPointFlat(geom.XY, []float64{lng, lat}).SetSRID(SRID)
	b, err := ewkb.Marshal(p, binary.LittleEndian)
	if err != nil {
		return nil, fmt.Errorf("geo.PointEWKB: %w", err)
	}
	return b, nil
}

// DecodeEWKBPoint decodes an EWKB point (from ST_AsEWKB) into latitude and longitude.
func DecodeEWKBPoint(b []byte) (lat, lng float64, err error) {
	g, err := DecodeEWKB(b)
	if err != nil {
		return 0, 0, fmt.Errorf("geo.DecodeEWKBPoint: %w", err)
	}
	p, ok := g.(*geom.Point)
	if !ok {
		return 0, 0, fmt.Errorf("geo.DecodeEWKBPoint: got %T, want point", g)
	}
	if p.Empty() {
		return 0, 0, fmt.Errorf("geo.DecodeEWKBPoint: empty point")
	}
	return p.Y(), p.X(), nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
