package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

// The statements below move the teams built from wards to set $1 of
// municipality $2. A team follows its ward code; a team whose code the set
// lacks (and every ward team of a municipality the set absorbs, $3) is
// deactivated and marked retired at the set's effective time ($4). Ward
// areas are official data: they are not held to the municipality
// boundary, which a merger moves.

// followSQL gives each ward team of the municipality its ward's shape in
// the set; a team retired earlier whose code returns is active again.
const followSQL = `UPDATE routing.teams t SET service_area = w.area, area_sq_km = w.area_sq_km,
	active = CASE WHEN t.ward_retired_at IS NULL THEN t.active ELSE true END,
	ward_retired_at = NULL, updated_at = now()
FROM routing.boundary_wards w
WHERE w.set_id = $1 AND t.tenant = $2 AND t.ward_code = w.code`

// buildSQL builds a team of category $3 named $4 || label for each ward
// of the set without a team, adopting a team of that name that has no
// ward code; it returns whether each row was created.
const buildSQL = `INSERT INTO routing.teams (id, tenant, name, category, is_saps, service_area, area_sq_km, ward_code)
SELECT gen_random_uuid(), $2, $4 || w.label, $3, false, w.area, w.area_sq_km, w.code
  FROM routing.boundary_wards w
 WHERE w.set_id = $1 AND NOT EXISTS (SELECT FROM routing.teams t WHERE t.tenant = $2 AND t.ward_code = w.code)
ON CONFLICT (tenant, name) DO UPDATE SET ward_code = EXCLUDED.ward_code, service_area = EXCLUDED.service_area,
	area_sq_km = EXCLUDED.area_sq_km, updated_at = now()
	WHERE routing.teams.ward_code = ''
RETURNING xmax = 0`

// unbuiltSQL lists the wards of set $1 that building would leave without
// a team of municipality $2: the name $3 || label belongs to a team of
// another ward code.
const unbuiltSQL = `SELECT w.code FROM routing.boundary_wards w
	JOIN routing.teams a ON a.tenant = $2 AND a.name = $3 || w.label AND a.ward_code NOT IN ('', w.code)
	WHERE w.set_id = $1 AND NOT EXISTS (SELECT FROM routing.teams t WHERE t.tenant = $2 AND t.ward_code = w.code)
	ORDER BY w.code`

// retireWhere selects the ward teams set $1 leaves without a ward: those
// of the municipality $2 whose code it lacks and those of the absorbed
// municipalities $3.
const retireWhere = `t.ward_code <> '' AND t.ward_retired_at IS NULL AND (t.tenant = ANY ($3::text[])
	OR (t.tenant = $2 AND NOT EXISTS (SELECT FROM routing.boundary_wards w WHERE w.set_id = $1 AND w.code = t.ward_code)))`

const retireSQL = `UPDATE routing.teams t SET active = false, ward_retired_at = $4, updated_at = now()
WHERE ` + retireWhere + ` RETURNING t.id::text, t.name, t.tenant, t.ward_code`

// ApplyWardTeams moves the ward teams to set b, in tx (whose scope must
// see every municipality b absorbs), and says what it did.
func (s *Store) ApplyWardTeams(ctx context.Context, tx pgx.Tx, b domain.BoundarySet) (domain.BoundaryTeams, error) {
	out := domain.BoundaryTeams{Applied: true}
	tag, err := tx.Exec(ctx, followSQL, b.ID, b.Tenant)
	if err != nil {
		return out, interpretError("store.ApplyWardTeams", err, nil)
	}
	out.Following = int(tag.RowsAffected())
	if b.TeamCategory != "" {
		rows, err := tx.Query(ctx, buildSQL, b.ID, b.Tenant, string(b.TeamCategory), b.TeamNamePrefix)
		if err != nil {
			return out, interpretError("store.ApplyWardTeams", err, nil)
		}
		created, err := pgx.CollectRows(rows, pgx.RowTo[bool])
		if err != nil {
			return out, interpretError("store.ApplyWardTeams", err, nil)
		}
		for _, c := range created {
			if c {
				out.Created++
			} else {
				out.Adopted++
			}
		}
		if out.Unbuilt, err = s.unbuilt(ctx, tx, b); err != nil {
			return out, err
		}
	}
	rows, err := tx.Query(ctx, retireSQL, b.ID, b.Tenant, mergedOf(b), b.EffectiveAt)
	if err != nil {
		return out, interpretError("store.ApplyWardTeams", err, nil)
	}
	out.Retired, err = collectRetired(rows)
	return out, wrapErr("store.ApplyWardTeams", err)
}

// PredictWardTeams says what ApplyWardTeams would do to the teams as they
// stand, changing nothing.
func (s *Store) PredictWardTeams(ctx context.Context, tx pgx.Tx, b domain.BoundarySet) (domain.BoundaryTeams, error) {
	var out domain.BoundaryTeams
	err := tx.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM routing.teams t JOIN routing.boundary_wards w ON w.set_id = $1 AND w.code = t.ward_code
		  WHERE t.tenant = $2),
		(SELECT count(*) FILTER (WHERE a.id IS NULL) FROM routing.boundary_wards w
		   LEFT JOIN routing.teams a ON a.tenant = $2 AND a.name = $4 || w.label
		  WHERE $3 <> '' AND w.set_id = $1 AND NOT EXISTS (SELECT FROM routing.teams t WHERE t.tenant = $2 AND t.ward_code = w.code)),
		(SELECT count(*) FROM routing.boundary_wards w
		   JOIN routing.teams a ON a.tenant = $2 AND a.name = $4 || w.label AND a.ward_code = ''
		  WHERE $3 <> '' AND w.set_id = $1 AND NOT EXISTS (SELECT FROM routing.teams t WHERE t.tenant = $2 AND t.ward_code = w.code))`,
		b.ID, b.Tenant, string(b.TeamCategory), b.TeamNamePrefix).Scan(&out.Following, &out.Created, &out.Adopted)
	if err != nil {
		return out, fmt.Errorf("store.PredictWardTeams: %w", err)
	}
	if b.TeamCategory != "" {
		// Wards whose built name another ward's team holds stay unbuilt.
		if out.Unbuilt, err = s.unbuilt(ctx, tx, b); err != nil {
			return out, err
		}
	}
	rows, err := tx.Query(ctx, `SELECT t.id::text, t.name, t.tenant, t.ward_code FROM routing.teams t WHERE `+retireWhere+`
		ORDER BY t.tenant, t.ward_code`, b.ID, b.Tenant, mergedOf(b))
	if err != nil {
		return out, fmt.Errorf("store.PredictWardTeams: %w", err)
	}
	out.Retired, err = collectRetired(rows)
	return out, wrapErr("store.PredictWardTeams", err)
}

// unbuilt lists the wards building leaves without a team (unbuiltSQL).
func (s *Store) unbuilt(ctx context.Context, tx pgx.Tx, b domain.BoundarySet) ([]string, error) {
	rows, err := tx.Query(ctx, unbuiltSQL, b.ID, b.Tenant, b.TeamNamePrefix)
	if err != nil {
		return nil, fmt.Errorf("store.unbuilt: %w", err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return codes, wrapErr("store.unbuilt", err)
}

func mergedOf(b domain.BoundarySet) []string {
	if b.MergedFrom == nil {
		return []string{}
	}
	return b.MergedFrom
}

func collectRetired(rows pgx.Rows) ([]domain.RetiredTeam, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.RetiredTeam, error) {
		var r domain.RetiredTeam
		err := row.Scan(&r.ID, &r.Name, &r.Tenant, &r.WardCode)
		return r, err
	})
}
