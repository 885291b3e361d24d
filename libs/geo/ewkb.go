package geo

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/ewkb"
	"github.com/twpayne/go-geom/encoding/geojson"

	"github.com/salga/trustengine/libs/apperr"
)

// Querier runs a single-row query; pgx.Tx, *pgx.Conn and *pgxpool.Pool satisfy it.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// MultiPolygonEWKB encodes mp as EWKB, defaulting its SRID to 4326.
func MultiPolygonEWKB(mp *geom.MultiPolygon) ([]byte, error) {
	if mp == nil {
		return nil, errors.New("geo.MultiPolygonEWKB: nil multipolygon")
	}
	if mp.SRID() == 0 {
		mp = geom.NewMultiPolygonFlat(mp.Layout(), mp.FlatCoords(), mp.Endss()).SetSRID(SRID)
	}
	b, err := ewkb.Marshal(mp, binary.LittleEndian)
	if err != nil {
		return nil, fmt.Errorf("geo.MultiPolygonEWKB: %w", err)
	}
	return b, nil
}

// DecodeEWKB decodes EWKB bytes (ST_AsEWKB) or their hex text form (a geometry
// column read as text) into a geometry.
func DecodeEWKB(b []byte) (geom.T, error) {
	if len(b) > 0 && b[0] == '0' {
		// Binary EWKB starts with a 0x00 or 0x01 byte order mark; hex with '0'.
		raw := make([]byte, hex.DecodedLen(len(b)))
		if _, err := hex.Decode(raw, b); err != nil {
			return nil, fmt.Errorf("geo.DecodeEWKB: hex: %w", err)
		}
		b = raw
	}
	g, err := ewkb.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("geo.DecodeEWKB: %w", err)
	}
	return g, nil
}

// ToGeoJSON encodes g as a GeoJSON geometry object.
func ToGeoJSON(g geom.T) ([]byte, error) {
	b, err := geojson.Marshal(g)
	if err != nil {
		return nil, fmt.Errorf("geo.ToGeoJSON: %w", err)
	}
	return b, nil
}

// CheckValid asks PostGIS whether the EWKB geometry is valid (no self-intersections,
// ring orientation problems, etc.), which go-geom cannot judge. An invalid geometry
// yields an apperr InvalidArgument for field quoting PostGIS's reason, e.g.
// "geometry is not valid: Self-intersection[18.5 -33.9]".
func CheckValid(ctx context.Context, q Querier, ewkbGeom []byte, field string) error {
	var valid bool
	var reason string
	err := q.QueryRow(ctx, `select ST_IsValid(g), ST_IsValidReason(g) from (select ST_GeomFromEWKB($1) g) s`, ewkbGeom).
		Scan(&valid, &reason)
	if err != nil {
		return fmt.Errorf("geo.CheckValid: %w", err)
	}
	if !valid {
		return apperr.Invalid(field, "geometry is not valid: "+reason)
	}
	return nil
}
