package geo

import (
	"fmt"
	"strconv"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/geojson"

	"github.com/salga/trustengine/libs/apperr"
)

// Limits on an uploaded area (a team's service area, a municipality's
// boundary). A municipality's boundary has tens of thousands of positions at
// most; anything far larger is a mistake or an attack, refused before
// PostGIS would spend seconds of a database connection on it.
const (
	MaxAreaBytes    = 20 << 20
	MaxAreaVertices = 200_000
	MaxAreaRings    = 10_000
)

// Area is a checked area: a MultiPolygon with SRID 4326 whose rings have at
// least four positions, are closed and lie within longitude/latitude
// ranges. Geometric validity (self-intersection) is PostGIS's to judge
// (CheckValid).
type Area struct {
	mp *geom.MultiPolygon
}

// MultiPolygon returns the area as go-geom's MultiPolygon.
func (a Area) MultiPolygon() *geom.MultiPolygon { return a.mp }

// JSON renders the area as GeoJSON, for ST_GeomFromGeoJSON.
func (a Area) JSON() string {
	b, err := geojson.Marshal(a.mp)
	if err != nil {
		// A checked MultiPolygon always encodes; an empty text makes PostGIS
		// refuse it rather than store something else.
		return ""
	}
	return string(b)
}

// ParseArea checks a decoded GeoJSON geometry (a protobuf Struct's AsMap, or
// JSON decoded into a map): a Polygon or MultiPolygon in EPSG:4326, bare or
// wrapped in one Feature. Errors are apperr InvalidArgument naming field or
// the path below it that broke a rule, e.g. "team.service_area.coordinates[0][3]".
func ParseArea(raw map[string]any, field string) (Area, error) {
	if raw != nil && raw["type"] == "Feature" {
		inner, _ := raw["geometry"].(map[string]any)
		if inner == nil || inner["type"] == "Feature" {
			return Area{}, apperr.Invalid(field+".geometry", "must be a GeoJSON Polygon or MultiPolygon")
		}
		return parseGeometry(inner, field+".geometry", SRID)
	}
	return parseGeometry(raw, field, SRID)
}

// parseGeometry checks a Polygon or MultiPolygon geometry object whose
// coordinates are in srid: degrees in range for SRID 4326, any finite
// numbers for another system (PostGIS reprojects those).
func parseGeometry(raw map[string]any, field string, srid int) (Area, error) {
	if raw == nil {
		return Area{}, apperr.Invalid(field, "is required")
	}
	if err := checkCRS(raw["crs"], field+".crs", srid); err != nil {
		return Area{}, err
	}
	coords, ok := raw["coordinates"].([]any)
	if !ok {
		return Area{}, apperr.Invalid(field+".coordinates", "must be an array")
	}
	b := &builder{positions: MaxAreaVertices, rings: MaxAreaRings, projected: srid != SRID}
	switch raw["type"] {
	case "Polygon":
		if err := b.polygon(coords, field+".coordinates"); err != nil {
			return Area{}, err
		}
	case "MultiPolygon":
		if len(coords) == 0 {
			return Area{}, apperr.Invalid(field+".coordinates", "must hold at least one polygon")
		}
		for i, pc := range coords {
			path := fmt.Sprintf("%s.coordinates[%d]", field, i)
			rings, ok := pc.([]any)
			if !ok {
				return Area{}, apperr.Invalid(path, "must be an array of rings")
			}
			if err := b.polygon(rings, path); err != nil {
				return Area{}, err
			}
		}
	default:
		return Area{}, apperr.Invalid(field+".type", "must be Polygon or MultiPolygon")
	}
	return Area{mp: geom.NewMultiPolygonFlat(geom.XY, b.flat, b.endss).SetSRID(srid)}, nil
}

// checkCRS accepts an absent crs member (GeoJSON's default is WGS84, or the
// srid the request names) or one naming srid (EPSG:4326 / CRS84 for 4326);
// anything else would put coordinates in another reference system that
// PostGIS would silently mislabel.
func checkCRS(v any, field string, srid int) error {
	if v == nil {
		return nil
	}
	crs, _ := v.(map[string]any)
	props, _ := crs["properties"].(map[string]any)
	name, _ := props["name"].(string)
	if srid == SRID {
		switch name {
		case "EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84":
			return nil
		}
		return apperr.Invalid(field, "must be EPSG:4326 (SRID 4326 longitude/latitude)")
	}
	code := strconv.Itoa(srid)
	if name == "EPSG:"+code || name == "urn:ogc:def:crs:EPSG::"+code {
		return nil
	}
	return apperr.Invalid(field, fmt.Sprintf("must name EPSG:%d, the srid of the request", srid))
}

// builder packs checked polygons into go-geom's flat representation,
// counting down what the area may still hold.
type builder struct {
	flat             []float64
	endss            [][]int
	positions, rings int
	// projected: coordinates are in another system than 4326 (metres),
	// so only finiteness is checked here.
	projected bool
}

// polygon checks the rings of one polygon at field and appends it.
func (b *builder) polygon(rings []any, field string) error {
	if len(rings) == 0 {
		return apperr.Invalid(field, "must hold at least one ring")
	}
	ends := make([]int, 0, len(rings))
	for i, rc := range rings {
		path := fmt.Sprintf("%s[%d]", field, i)
		positions, ok := rc.([]any)
		if !ok {
			return apperr.Invalid(path, "must be an array of positions")
		}
		if len(positions) > b.positions {
			return apperr.Invalid(field, fmt.Sprintf("an area must have at most %d positions", MaxAreaVertices))
		}
		if b.rings--; b.rings < 0 {
			return apperr.Invalid(field, fmt.Sprintf("an area must have at most %d rings", MaxAreaRings))
		}
		b.positions -= len(positions)
		if err := b.ring(positions, path); err != nil {
			return err
		}
		ends = append(ends, len(b.flat))
	}
	b.endss = append(b.endss, ends)
	return nil
}

// ring checks one linear ring at field and appends its positions.
func (b *builder) ring(positions []any, field string) error {
	if len(positions) < 4 {
		return apperr.Invalid(field, "a linear ring must have at least 4 positions")
	}
	start := len(b.flat)
	for i, pc := range positions {
		path := fmt.Sprintf("%s[%d]", field, i)
		pos, ok := pc.([]any)
		if !ok || len(pos) < 2 || len(pos) > 3 {
			return apperr.Invalid(path, "must be a [longitude, latitude] position")
		}
		lng, ok1 := pos[0].(float64)
		lat, ok2 := pos[1].(float64)
		if !ok1 || !ok2 {
			return apperr.Invalid(path, "coordinates must be numbers")
		}
		if b.projected {
			if !finite(lng) || !finite(lat) {
				return apperr.Invalid(path, "coordinates must be finite numbers")
			}
		} else if !(lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90) {
			// Written so that NaN, which a protobuf Struct can carry, fails too.
			return apperr.Invalid(path, "must be SRID 4326 degrees: longitude -180..180, latitude -90..90")
		}
		// A third number (height) is dropped: areas are flat.
		b.flat = append(b.flat, lng, lat)
	}
	end := len(b.flat)
	if b.flat[start] != b.flat[end-2] || b.flat[start+1] != b.flat[end-1] {
		return apperr.Invalid(field, "ring must be closed (first position equal to the last)")
	}
	return nil
}
