package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

// geomExpr turns a GeoJSON text parameter into a MultiPolygon in SRID 4326.
const geomExpr = `ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(%s::text), 4326))`

// BoundaryBuffer returns the municipality's boundary grown by
// domain.BoundaryTolerance as WKB, computed once so bulk imports need not
// buffer a large boundary per team; domain.ErrMunicipalityNotFound for an
// unknown code.
func (s *Store) BoundaryBuffer(ctx context.Context, tx pgx.Tx, code string) ([]byte, error) {
	var wkb []byte
	err := tx.QueryRow(ctx, `SELECT ST_AsBinary(ST_Buffer(boundary::geography, $2)::geometry)
		FROM routing.municipalities WHERE code = $1`, code, domain.BoundaryTolerance).Scan(&wkb)
	if err != nil {
		return nil, interpretError("store.BoundaryBuffer", err, domain.ErrMunicipalityNotFound)
	}
	return wkb, nil
}

// Covers reports whether the buffered boundary (BoundaryBuffer) covers the
// GeoJSON area.
func (s *Store) Covers(ctx context.Context, tx pgx.Tx, buffer []byte, geoJSON string) (bool, error) {
	var inside bool
	q := fmt.Sprintf(`SELECT ST_Covers(ST_GeomFromWKB($2, 4326), `+geomExpr+`)`, "$1")
	if err := tx.QueryRow(ctx, q, geoJSON, buffer).Scan(&inside); err != nil {
		return false, fmt.Errorf("store.Covers: %w", err)
	}
	return inside, nil
}

// ValidityReason returns PostGIS's ST_IsValidReason for a GeoJSON area
// (domain.ValidGeometry when it is valid).
func (s *Store) ValidityReason(ctx context.Context, tx pgx.Tx, geoJSON string) (string, error) {
	var reason string
	q := fmt.Sprintf(`SELECT ST_IsValidReason(`+geomExpr+`)`, "$1")
	if err := tx.QueryRow(ctx, q, geoJSON).Scan(&reason); err != nil {
		return "", fmt.Errorf("store.ValidityReason: %w", err)
	}
	return reason, nil
}
