package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

// coverageTeams are the teams routing would consider for category $2 in
// tenant $1 (teamFilter) that have an area.
const coverageTeams = `SELECT t.id, t.name, t.area_sq_km, t.service_area FROM routing.teams t
	WHERE ` + teamFilter + ` AND t.service_area IS NOT NULL`

// gapSQL measures the municipality $1 less the union of the category's
// areas. Areas are measured on the spheroid (geography); the gap keeps
// only its polygonal parts, so shared borders leave no lines behind.
const gapSQL = `WITH t AS (` + coverageTeams + `),
u AS (SELECT ST_Union(t.service_area) AS g, count(*) AS n FROM t),
m AS (SELECT boundary FROM routing.municipalities WHERE code = $1),
d AS (SELECT m.boundary, u.n, CASE WHEN u.g IS NULL THEN m.boundary
		ELSE ST_Multi(ST_CollectionExtract(ST_Difference(m.boundary, u.g), 3)) END AS g
	FROM m, u)
SELECT ST_Area(d.boundary::geography) / 1e6, d.n,
	CASE WHEN ST_IsEmpty(d.g) THEN '' ELSE ST_AsGeoJSON(d.g, 6) END,
	CASE WHEN ST_IsEmpty(d.g) THEN 0 ELSE ST_Area(d.g::geography) / 1e6 END,
	CASE WHEN ST_IsEmpty(d.g) THEN 0 ELSE ST_NumGeometries(d.g) END
FROM d`

// overlapsSQL finds every pair of the category's areas that overlap by at
// least $3 square metres (smaller intersections of neighbours that share a
// border are floating-point noise), largest first.
const overlapsSQL = `WITH t AS (` + coverageTeams + `)
SELECT a.id::text, a.name, a.area_sq_km, b.id::text, b.name, b.area_sq_km, ST_AsGeoJSON(o.g, 6), o.sq_m / 1e6
FROM t a JOIN t b ON a.id < b.id AND ST_Intersects(a.service_area, b.service_area)
CROSS JOIN LATERAL (SELECT g, ST_Area(g::geography) AS sq_m FROM (SELECT
	ST_Multi(ST_CollectionExtract(ST_Intersection(a.service_area, b.service_area), 3)) AS g) i) o
WHERE NOT ST_IsEmpty(o.g) AND o.sq_m >= $3
ORDER BY o.sq_m DESC, a.id, b.id`

// minOverlapSqM is the smallest overlap GetCoverage reports.
const minOverlapSqM = 1.0

// Coverage measures how the category's teams cover the tenant's
// municipality (domain.ErrMunicipalityNotFound when it has none).
func (s *Store) Coverage(ctx context.Context, tx pgx.Tx, tenant string, category domain.Category) (domain.Coverage, error) {
	c := domain.Coverage{Tenant: tenant, Category: category}
	err := tx.QueryRow(ctx, gapSQL, tenant, string(category)).Scan(
		&c.MunicipalityAreaSqKm, &c.TeamCount, &c.Gap, &c.GapAreaSqKm, &c.GapParts)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, fmt.Errorf("store.Coverage: %w", domain.ErrMunicipalityNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("store.Coverage: %w", err)
	}
	rows, err := tx.Query(ctx, overlapsSQL, tenant, string(category), minOverlapSqM)
	if err != nil {
		return c, fmt.Errorf("store.Coverage: %w", err)
	}
	c.Overlaps, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Overlap, error) {
		var o domain.Overlap
		a, b := &o.Teams[0], &o.Teams[1]
		err := row.Scan(&a.ID, &a.Name, &a.AreaSqKm, &b.ID, &b.Name, &b.AreaSqKm, &o.Area, &o.AreaSqKm)
		return o, err
	})
	if err != nil {
		return c, fmt.Errorf("store.Coverage: %w", err)
	}
	return c, nil
}
