package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

const setCols = `s.id::text, s.municipality, s.version, s.effective_at, s.applied_at, s.source, s.merged_from,
	(SELECT count(*) FROM routing.boundary_wards w WHERE w.set_id = s.id), s.report, s.created_at,
	s.team_category, s.team_name_prefix`

func scanSets(rows pgx.Rows) ([]domain.BoundarySet, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.BoundarySet, error) {
		var b domain.BoundarySet
		var report []byte
		var category string
		err := row.Scan(&b.ID, &b.Tenant, &b.Version, &b.EffectiveAt, &b.AppliedAt, &b.Source, &b.MergedFrom,
			&b.WardCount, &report, &b.CreatedAt, &category, &b.TeamNamePrefix)
		if err != nil {
			return b, err
		}
		b.TeamCategory = domain.Category(category)
		return b, json.Unmarshal(report, &b.Report)
	})
}

// LatestBoundarySet returns the municipality's newest set by effective
// time; found is false when it has none.
func (s *Store) LatestBoundarySet(ctx context.Context, tx pgx.Tx, municipality string) (domain.BoundarySet, bool, error) {
	rows, err := tx.Query(ctx, `SELECT `+setCols+` FROM routing.boundary_sets s
		WHERE s.municipality = $1 ORDER BY s.effective_at DESC LIMIT 1`, municipality)
	if err != nil {
		return domain.BoundarySet{}, false, fmt.Errorf("store.LatestBoundarySet: %w", err)
	}
	sets, err := scanSets(rows)
	if err != nil || len(sets) == 0 {
		return domain.BoundarySet{}, false, wrapErr("store.LatestBoundarySet", err)
	}
	return sets[0], true, nil
}

// ListBoundarySets returns the municipality's sets, oldest first.
func (s *Store) ListBoundarySets(ctx context.Context, tx pgx.Tx, municipality string) ([]domain.BoundarySet, error) {
	rows, err := tx.Query(ctx, `SELECT `+setCols+` FROM routing.boundary_sets s
		WHERE s.municipality = $1 ORDER BY s.effective_at`, municipality)
	if err != nil {
		return nil, fmt.Errorf("store.ListBoundarySets: %w", err)
	}
	sets, err := scanSets(rows)
	return sets, wrapErr("store.ListBoundarySets", err)
}

// DueBoundarySets locks the sets in force at now whose teams have not
// followed them yet, oldest first; a concurrent sweep skips them.
func (s *Store) DueBoundarySets(ctx context.Context, tx pgx.Tx, now time.Time) ([]domain.BoundarySet, error) {
	rows, err := tx.Query(ctx, `SELECT `+setCols+` FROM routing.boundary_sets s
		WHERE s.applied_at IS NULL AND s.effective_at <= $1 ORDER BY s.effective_at
		FOR UPDATE OF s SKIP LOCKED`, now)
	if err != nil {
		return nil, fmt.Errorf("store.DueBoundarySets: %w", err)
	}
	sets, err := scanSets(rows)
	return sets, wrapErr("store.DueBoundarySets", err)
}

// InsertBoundarySet stores set b (its report still empty) and returns its id.
func (s *Store) InsertBoundarySet(ctx context.Context, tx pgx.Tx, b domain.BoundarySet, createdBy string) (string, error) {
	id := uuid.NewString()
	merged := b.MergedFrom
	if merged == nil {
		merged = []string{}
	}
	_, err := tx.Exec(ctx, `INSERT INTO routing.boundary_sets (id, municipality, version, effective_at, source,
		merged_from, team_category, team_name_prefix, report, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{}', $9)`,
		id, b.Tenant, b.Version, b.EffectiveAt, b.Source, merged, string(b.TeamCategory), b.TeamNamePrefix, createdBy)
	if err != nil {
		return "", interpretError("store.InsertBoundarySet", err, nil)
	}
	return id, nil
}

// insertWardSQL stores a ward, repaired in PostGIS when the official shape
// is invalid (keeping its polygonal parts), and returns PostGIS's reason
// for the repair ("" when valid) and whether nothing polygonal was left.
const insertWardSQL = `INSERT INTO routing.boundary_wards (set_id, code, label, area, area_sq_km, repaired)
SELECT $1, $2, $3, v.g, coalesce(ST_Area(v.g::geography) / 1e6, 0), v.reason
  FROM (SELECT CASE WHEN ST_IsValid(r.g) THEN r.g ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(r.g), 3)) END AS g,
               CASE WHEN ST_IsValid(r.g) THEN '' ELSE ST_IsValidReason(r.g) END AS reason
          FROM (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($4::text), 4326)) AS g) r) v
RETURNING repaired, ST_IsEmpty(area)`

// InsertWards stores the wards of set id and returns those it repaired; a
// ward left empty by the repair is refused, naming its feature.
func (s *Store) InsertWards(ctx context.Context, tx pgx.Tx, id string, wards []domain.Ward) ([]domain.RepairedWard, error) {
	var repaired []domain.RepairedWard
	for _, w := range wards {
		var reason string
		var empty bool
		if err := tx.QueryRow(ctx, insertWardSQL, id, w.Code, w.Label, w.Area).Scan(&reason, &empty); err != nil {
			return nil, fmt.Errorf("store.InsertWards: %w", err)
		}
		if empty {
			return nil, apperr.Invalid(w.Path+".geometry", "has no area once made valid ("+reason+")")
		}
		if reason != "" {
			repaired = append(repaired, domain.RepairedWard{Code: w.Code, Reason: reason})
		}
	}
	return repaired, nil
}

// compareSQL pairs the wards of the new set $1 with those of the replaced
// sets $2 by code.
const compareSQL = `WITH n AS (SELECT code, label, area, area_sq_km FROM routing.boundary_wards WHERE set_id = $1),
o AS (SELECT w.code, w.label, w.area, w.area_sq_km, s.municipality FROM routing.boundary_wards w
	JOIN routing.boundary_sets s ON s.id = w.set_id WHERE w.set_id = ANY ($2::uuid[]))
SELECT coalesce(n.code, o.code), coalesce(n.label, o.label), coalesce(o.municipality, ''),
	o.code IS NOT NULL, n.code IS NOT NULL, coalesce(o.area_sq_km, 0), coalesce(n.area_sq_km, 0),
	coalesce(n.area IS NOT NULL AND o.area IS NOT NULL AND ST_Equals(n.area, o.area), false),
	CASE WHEN n.area IS NOT NULL AND o.area IS NOT NULL AND NOT ST_Equals(n.area, o.area)
		THEN ST_Area(ST_SymDifference(n.area, o.area)::geography) / 1e6 ELSE 0 END
FROM n FULL JOIN o ON n.code = o.code
ORDER BY 1`

// CompareWards pairs the wards of set id with those of the sets it
// replaces, by code.
func (s *Store) CompareWards(ctx context.Context, tx pgx.Tx, id string, replaced []string) ([]domain.WardPair, error) {
	if replaced == nil {
		replaced = []string{}
	}
	rows, err := tx.Query(ctx, compareSQL, id, replaced)
	if err != nil {
		return nil, fmt.Errorf("store.CompareWards: %w", err)
	}
	pairs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.WardPair, error) {
		var p domain.WardPair
		err := row.Scan(&p.Code, &p.Label, &p.Municipality, &p.InOld, &p.InNew, &p.OldAreaSqKm, &p.NewAreaSqKm,
			&p.SameShape, &p.SymDiffSqKm)
		return p, err
	})
	return pairs, wrapErr("store.CompareWards", err)
}

// wardAtSQL finds the code of the ward containing point ($2 lng, $3 lat) in
// municipality $1's set in force at $4.
const wardAtSQL = `SELECT w.code FROM routing.boundary_wards w
		WHERE w.set_id = (SELECT s.id FROM routing.boundary_sets s WHERE s.municipality = $1 AND s.effective_at <= $4
		                   ORDER BY s.effective_at DESC LIMIT 1)
		  AND ST_Covers(w.area, ST_SetSRID(ST_MakePoint($2, $3), 4326))
		ORDER BY w.code LIMIT 1`

// QueueWardAt adds to b (for pg.Read, or a transaction's first reads) the
// search for the ward containing the point in the municipality's set in
// force at `at`; its code lands in code when the batch is read, and stays
// "" when no ward contains the point.
func (s *Store) QueueWardAt(b *pgx.Batch, municipality string, lat, lng float64, at time.Time, code *string) {
	b.Queue(wardAtSQL, municipality, lng, lat, at).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			if err := rows.Scan(code); err != nil {
				return fmt.Errorf("store.QueueWardAt: %w", err)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store.QueueWardAt: %w", err)
		}
		return nil
	})
}

// SaveBoundaryReport stores the report of set id, marking it applied at
// appliedAt when that is not nil.
func (s *Store) SaveBoundaryReport(ctx context.Context, tx pgx.Tx, id string, r domain.BoundaryReport, appliedAt *time.Time) error {
	report, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("store.SaveBoundaryReport: %w", err)
	}
	_, err = tx.Exec(ctx, `UPDATE routing.boundary_sets SET report = $2, applied_at = coalesce($3, applied_at) WHERE id = $1`,
		id, report, appliedAt)
	if err != nil {
		return fmt.Errorf("store.SaveBoundaryReport: %w", err)
	}
	return nil
}

func wrapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, err)
}
