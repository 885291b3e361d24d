package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

// boundaryExpr stores a boundary, repairing it only when PostGIS finds it
// invalid. Official MDB boundaries are the source of truth for jurisdiction
// (3 of the 234 in the 2011 data have self-touching rings), so they are
// repaired rather than refused; team areas, drawn by municipalities, are not.
const boundaryExpr = `(SELECT CASE WHEN ST_IsValid(g) THEN g
	ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) END
	FROM (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($4::text), 4326)) AS g) b)`

const municipalityCols = `code, name, province, created_at, updated_at`

// UpsertMunicipality inserts m or, when upsert is set and the code exists,
// updates it. It reports whether a row was created. Without upsert a
// duplicate code is domain.ErrMunicipalityExists.
func (s *Store) UpsertMunicipality(ctx context.Context, tx pgx.Tx, m domain.Municipality, upsert bool) (bool, error) {
	q := `INSERT INTO routing.municipalities (code, name, province, boundary)
		VALUES ($1, $2, $3, ` + boundaryExpr + `)`
	if upsert {
		q += ` ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, province = EXCLUDED.province,
			boundary = EXCLUDED.boundary, updated_at = now()`
	}
	q += ` RETURNING xmax = 0`
	var created bool
	if err := tx.QueryRow(ctx, q, m.Code, m.Name, m.Province, m.Boundary).Scan(&created); err != nil {
		return false, interpretError("store.UpsertMunicipality", err, nil)
	}
	return created, nil
}

// UpdateMunicipality overwrites name, province and (when non-empty) the
// boundary of an existing municipality (domain.ErrMunicipalityNotFound for
// an unknown code).
func (s *Store) UpdateMunicipality(ctx context.Context, tx pgx.Tx, m domain.Municipality) error {
	q := `UPDATE routing.municipalities SET name = $2, province = $3,
		boundary = CASE WHEN $4::text = '' THEN boundary ELSE ` + boundaryExpr + ` END, updated_at = now()
		WHERE code = $1 RETURNING code`
	var code string
	if err := tx.QueryRow(ctx, q, m.Code, m.Name, m.Province, m.Boundary).Scan(&code); err != nil {
		return interpretError("store.UpdateMunicipality", err, domain.ErrMunicipalityNotFound)
	}
	return nil
}

// GetMunicipality loads one municipality, with its boundary when asked
// (domain.ErrMunicipalityNotFound for an unknown code).
func (s *Store) GetMunicipality(ctx context.Context, tx pgx.Tx, code string, withBoundary bool) (domain.Municipality, error) {
	rows, err := tx.Query(ctx, `SELECT `+municipalityCols+`, CASE WHEN $2 THEN ST_AsGeoJSON(boundary, 6) ELSE '' END
		FROM routing.municipalities WHERE code = $1`, code, withBoundary)
	if err != nil {
		return domain.Municipality{}, fmt.Errorf("store.GetMunicipality: %w", err)
	}
	ms, err := scanMunicipalities(rows)
	if err != nil {
		return domain.Municipality{}, fmt.Errorf("store.GetMunicipality: %w", err)
	}
	if len(ms) == 0 {
		return domain.Municipality{}, fmt.Errorf("store.GetMunicipality: %w", domain.ErrMunicipalityNotFound)
	}
	return ms[0], nil
}

// ListMunicipalities returns up to limit municipalities ordered by code,
// starting after offset, optionally of one province.
func (s *Store) ListMunicipalities(ctx context.Context, tx pgx.Tx, province string, withBoundary bool, page domain.Page) ([]domain.Municipality, error) {
	rows, err := tx.Query(ctx, `SELECT `+municipalityCols+`, CASE WHEN $1 THEN ST_AsGeoJSON(boundary, 6) ELSE '' END
		FROM routing.municipalities WHERE $2 = '' OR province = $2 ORDER BY code LIMIT $3 OFFSET $4`,
		withBoundary, province, page.Limit, page.Offset)
	if err != nil {
		return nil, fmt.Errorf("store.ListMunicipalities: %w", err)
	}
	ms, err := scanMunicipalities(rows)
	if err != nil {
		return nil, fmt.Errorf("store.ListMunicipalities: %w", err)
	}
	return ms, nil
}

// ResolveJurisdiction returns the municipality covering the point. A point
// on a shared border is covered by both; the smaller code wins so the
// answer is stable. A point no municipality covers is
// domain.ErrNoMunicipalityAt.
func (s *Store) ResolveJurisdiction(ctx context.Context, tx pgx.Tx, p domain.Point) (domain.Municipality, error) {
	rows, err := tx.Query(ctx, `SELECT `+municipalityCols+`, ''
		FROM routing.municipalities
		WHERE ST_Covers(boundary, ST_SetSRID(ST_MakePoint($2, $1), 4326))
		ORDER BY code LIMIT 1`, p.Lat, p.Lng)
	if err != nil {
		return domain.Municipality{}, fmt.Errorf("store.ResolveJurisdiction: %w", err)
	}
	ms, err := scanMunicipalities(rows)
	if err != nil {
		return domain.Municipality{}, fmt.Errorf("store.ResolveJurisdiction: %w", err)
	}
	if len(ms) == 0 {
		return domain.Municipality{}, fmt.Errorf("store.ResolveJurisdiction: %w", domain.ErrNoMunicipalityAt)
	}
	return ms[0], nil
}

func scanMunicipalities(rows pgx.Rows) ([]domain.Municipality, error) {
	var out []domain.Municipality
	for rows.Next() {
		var m domain.Municipality
		if err := rows.Scan(&m.Code, &m.Name, &m.Province, &m.CreatedAt, &m.UpdatedAt, &m.Boundary); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
