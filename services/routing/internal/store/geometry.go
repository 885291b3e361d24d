package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/salga/trustengine/libs/apperr"

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

// inspectSQL reads an area given as GeoJSON in SRID $2 into SRID 4326 and
// answers what domain.AreaCheck holds: its validity reason as given, its
// area before and after ST_MakeValid (keeping only the polygons), whether
// nothing is left, the extent and, when it differs from the text given
// (repaired or reprojected), the area to store as GeoJSON at full
// precision, so rounding cannot make a repaired area invalid again.
const inspectSQL = `WITH g AS (
	SELECT ST_Multi(CASE WHEN $2::int = 4326 THEN ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326)
		ELSE ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1::text), $2::int), 4326) END) AS g
), v AS (
	SELECT g, ST_IsValidReason(g) AS reason FROM g
), r AS (
	SELECT g, reason, CASE WHEN reason = 'Valid Geometry' THEN g
		ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) END AS s FROM v
)
SELECT reason, ST_Area(g::geography), COALESCE(ST_Area(s::geography), 0), ST_IsEmpty(s),
	COALESCE(ST_XMin(s), 0), COALESCE(ST_YMin(s), 0), COALESCE(ST_XMax(s), 0), COALESCE(ST_YMax(s), 0),
	CASE WHEN reason = 'Valid Geometry' AND $2::int = 4326 THEN '' ELSE ST_AsGeoJSON(s, 15) END
FROM r`

// InspectArea asks PostGIS about a GeoJSON area whose coordinates are in
// srid (domain.AreaCheck; Stored is geoJSON itself when nothing changed).
// Coordinates PostGIS cannot reproject from srid are an InvalidArgument
// naming field; the statement runs in a savepoint then, so the import's
// transaction goes on.
func (s *Store) InspectArea(ctx context.Context, tx pgx.Tx, geoJSON string, srid int, field string) (domain.AreaCheck, error) {
	var c domain.AreaCheck
	scan := func(q pgx.Tx) error {
		return q.QueryRow(ctx, inspectSQL, geoJSON, srid).Scan(&c.Reason, &c.Before, &c.After, &c.Empty,
			&c.MinLng, &c.MinLat, &c.MaxLng, &c.MaxLat, &c.Stored)
	}
	var err error
	if srid == 4326 {
		err = scan(tx)
	} else {
		err = pgx.BeginFunc(ctx, tx, scan)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			return c, apperr.Invalid(field, fmt.Sprintf("cannot be reprojected from EPSG:%d to WGS 84: %s", srid, pgErr.Message))
		}
	}
	if err != nil {
		return c, fmt.Errorf("store.InspectArea: %w", err)
	}
	if c.Stored == "" {
		c.Stored = geoJSON
	}
	return c, nil
}

// KnownSRID reports whether PostGIS knows the EPSG code srid
// (spatial_ref_sys), so it can reproject from it.
func (s *Store) KnownSRID(ctx context.Context, tx pgx.Tx, srid int) (bool, error) {
	var known bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM spatial_ref_sys WHERE srid = $1)`, srid).Scan(&known); err != nil {
		return false, fmt.Errorf("store.KnownSRID: %w", err)
	}
	return known, nil
}
