package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/apperr"
)

// BoundaryTolerance is how far (metres) a team area may stray outside its
// municipality's boundary. The MDB 2011 ward and municipality layers were
// simplified separately: CPT's ward vertices lie up to 341 m outside the
// municipal boundary, so 500 m accepts real wards yet refuses a neighbour's.
const BoundaryTolerance = 500

// geomExpr turns a GeoJSON text parameter into a MultiPolygon in SRID 4326.
const geomExpr = `ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(%s::text), 4326))`

// CheckValid refuses a geometry PostGIS finds invalid (self-intersections,
// bad holes, ...), naming the reason and location GEOS gives. Invalid areas
// are never repaired: a bow-tie has no single meaning to repair to.
func CheckValid(ctx context.Context, tx pgx.Tx, geoJSON, field string) error {
	reason, err := ValidityReason(ctx, tx, geoJSON)
	if err != nil {
		return fmt.Errorf("store.CheckValid: %w", err)
	}
	if reason != Valid {
		return apperr.Invalid(field, "must be a valid polygon (OGC simple features): "+reason)
	}
	return nil
}

// BoundaryBuffer returns the municipality's boundary grown by
// BoundaryTolerance as WKB, computed once so bulk imports need not buffer a
// large boundary per team.
func BoundaryBuffer(ctx context.Context, tx pgx.Tx, code string) ([]byte, error) {
	var wkb []byte
	err := tx.QueryRow(ctx, `SELECT ST_AsBinary(ST_Buffer(boundary::geography, $2)::geometry)
		FROM routing.municipalities WHERE code = $1`, code, BoundaryTolerance).Scan(&wkb)
	if err != nil {
		return nil, interpretError("store.BoundaryBuffer", err)
	}
	return wkb, nil
}

// CheckInside refuses an area that is not covered by the buffered boundary.
func CheckInside(ctx context.Context, tx pgx.Tx, geoJSON string, buffer []byte, tenant, field string) error {
	var inside bool
	q := fmt.Sprintf(`SELECT ST_Covers(ST_GeomFromWKB($2, 4326), `+geomExpr+`)`, "$1")
	if err := tx.QueryRow(ctx, q, geoJSON, buffer).Scan(&inside); err != nil {
		return fmt.Errorf("store.CheckInside: %w", err)
	}
	if !inside {
		return apperr.Invalid(field, fmt.Sprintf("must lie inside the boundary of municipality %s (tolerance %d m)", tenant, BoundaryTolerance))
	}
	return nil
}

// Valid is what ValidityReason returns for a valid geometry.
const Valid = "Valid Geometry"

// ValidityReason returns PostGIS's ST_IsValidReason for a GeoJSON area.
func ValidityReason(ctx context.Context, tx pgx.Tx, geoJSON string) (string, error) {
	var reason string
	q := fmt.Sprintf(`SELECT ST_IsValidReason(`+geomExpr+`)`, "$1")
	if err := tx.QueryRow(ctx, q, geoJSON).Scan(&reason); err != nil {
		return "", fmt.Errorf("store.ValidityReason: %w", err)
	}
	return reason, nil
}
