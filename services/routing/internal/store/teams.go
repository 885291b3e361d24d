package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

// areaExpr stores a team area (NULL for none) from GeoJSON parameter $n.
func areaExpr(n int) string {
	return fmt.Sprintf(`CASE WHEN $%[1]d::text = '' THEN NULL ELSE ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($%[1]d::text), 4326)) END`, n)
}

// teamCols selects a team; $1 of the query says whether to include the area.
const teamCols = `t.id, t.tenant, t.name, t.category, t.is_saps, t.manager_id,
	coalesce(t.escalation_team_id::text, ''), t.members, t.active,
	CASE WHEN $1 AND t.service_area IS NOT NULL THEN ST_AsGeoJSON(t.service_area, 6) ELSE '' END,
	t.area_sq_km, t.created_at, t.updated_at, t.ward_code, t.ward_retired_at`

// InsertTeam stores a new team and returns it with its id and area.
func (s *Store) InsertTeam(ctx context.Context, tx pgx.Tx, t domain.Team) (domain.Team, error) {
	members, err := json.Marshal(t.Members)
	if err != nil {
		return domain.Team{}, fmt.Errorf("store.InsertTeam: %w", err)
	}
	id := uuid.NewString()
	_, err = tx.Exec(ctx, `INSERT INTO routing.teams (id, tenant, name, category, is_saps, manager_id,
		escalation_team_id, members, active, service_area)
		VALUES ($1, $2, $3, $4, $5, $6, nullif($7, '')::uuid, $8, $9, `+areaExpr(10)+`)`,
		id, t.Tenant, t.Name, string(t.Category), t.IsSAPS, t.ManagerID, t.EscalationTeamID, members, t.Active, t.ServiceArea)
	if err != nil {
		return domain.Team{}, interpretError("store.InsertTeam", err, nil)
	}
	if err := refreshArea(ctx, tx, id); err != nil {
		return domain.Team{}, err
	}
	return s.GetTeam(ctx, tx, id, true)
}

// UpdateTeam overwrites every field of an existing team; keepArea leaves the
// stored service area untouched (its GeoJSON was not loaded).
// domain.ErrTeamNotFound when the caller's scope does not see it.
func (s *Store) UpdateTeam(ctx context.Context, tx pgx.Tx, t domain.Team, keepArea bool) (domain.Team, error) {
	members, err := json.Marshal(t.Members)
	if err != nil {
		return domain.Team{}, fmt.Errorf("store.UpdateTeam: %w", err)
	}
	tag, err := tx.Exec(ctx, `UPDATE routing.teams SET name = $2, category = $3, is_saps = $4, manager_id = $5,
		escalation_team_id = nullif($6, '')::uuid, members = $7, active = $8,
		service_area = CASE WHEN $10 THEN service_area ELSE `+areaExpr(9)+` END, updated_at = now()
		WHERE id = $1`,
		t.ID, t.Name, string(t.Category), t.IsSAPS, t.ManagerID, t.EscalationTeamID, members, t.Active, t.ServiceArea, keepArea)
	if err != nil {
		return domain.Team{}, interpretError("store.UpdateTeam", err, nil)
	}
	if tag.RowsAffected() == 0 {
		return domain.Team{}, fmt.Errorf("store.UpdateTeam: %w", domain.ErrTeamNotFound)
	}
	if err := refreshArea(ctx, tx, t.ID); err != nil {
		return domain.Team{}, err
	}
	return s.GetTeam(ctx, tx, t.ID, true)
}

// UpsertImportedTeam creates a team by (tenant, name) or replaces the area,
// category and SAPS flag of the existing one. It reports whether it created.
func (s *Store) UpsertImportedTeam(ctx context.Context, tx pgx.Tx, t domain.Team) (bool, error) {
	var id string
	var created bool
	err := tx.QueryRow(ctx, `INSERT INTO routing.teams (id, tenant, name, category, is_saps, service_area)
		VALUES ($1, $2, $3, $4, $5, `+areaExpr(6)+`)
		ON CONFLICT (tenant, name) DO UPDATE SET category = EXCLUDED.category, is_saps = EXCLUDED.is_saps,
			service_area = EXCLUDED.service_area, updated_at = now()
		RETURNING id, xmax = 0`,
		uuid.NewString(), t.Tenant, t.Name, string(t.Category), t.IsSAPS, t.ServiceArea).Scan(&id, &created)
	if err != nil {
		return false, interpretError("store.UpsertImportedTeam", err, nil)
	}
	return created, refreshArea(ctx, tx, id)
}

// refreshArea recomputes area_sq_km on the spheroid after an area change.
func refreshArea(ctx context.Context, tx pgx.Tx, id string) error {
	_, err := tx.Exec(ctx, `UPDATE routing.teams
		SET area_sq_km = coalesce(ST_Area(service_area::geography) / 1e6, 0) WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("store.refreshArea: %w", err)
	}
	return nil
}

// GetTeam loads one team the caller's scope sees (domain.ErrTeamNotFound
// for any other id).
func (s *Store) GetTeam(ctx context.Context, tx pgx.Tx, id string, withArea bool) (domain.Team, error) {
	if !domain.IsID(id) {
		return domain.Team{}, fmt.Errorf("store.GetTeam: %w", domain.ErrTeamNotFound)
	}
	rows, err := tx.Query(ctx, `SELECT `+teamCols+` FROM routing.teams t WHERE t.id = $2`, withArea, id)
	if err != nil {
		return domain.Team{}, fmt.Errorf("store.GetTeam: %w", err)
	}
	teams, err := scanTeams(rows)
	if err != nil {
		return domain.Team{}, fmt.Errorf("store.GetTeam: %w", err)
	}
	if len(teams) == 0 {
		return domain.Team{}, fmt.Errorf("store.GetTeam: %w", domain.ErrTeamNotFound)
	}
	return teams[0], nil
}

// ListTeams lists a page of a tenant's teams ordered by name.
func (s *Store) ListTeams(ctx context.Context, tx pgx.Tx, f domain.TeamFilter) ([]domain.Team, error) {
	rows, err := tx.Query(ctx, `SELECT `+teamCols+` FROM routing.teams t
		WHERE t.tenant = $2 AND ($3 = '' OR t.category = $3) AND ($4 OR t.active)
		ORDER BY t.name LIMIT $5 OFFSET $6`,
		f.WithArea, f.Tenant, string(f.Category), f.IncludeInactive, f.Limit, f.Offset)
	if err != nil {
		return nil, fmt.Errorf("store.ListTeams: %w", err)
	}
	teams, err := scanTeams(rows)
	if err != nil {
		return nil, fmt.Errorf("store.ListTeams: %w", err)
	}
	return teams, nil
}

func scanTeams(rows pgx.Rows) ([]domain.Team, error) {
	var out []domain.Team
	for rows.Next() {
		var t domain.Team
		var members []byte
		var category string
		if err := rows.Scan(&t.ID, &t.Tenant, &t.Name, &category, &t.IsSAPS, &t.ManagerID, &t.EscalationTeamID,
			&members, &t.Active, &t.ServiceArea, &t.AreaSqKm, &t.CreatedAt, &t.UpdatedAt, &t.WardCode, &t.WardRetiredAt); err != nil {
			return nil, err
		}
		t.Category = domain.Category(category)
		if err := json.Unmarshal(members, &t.Members); err != nil {
			return nil, fmt.Errorf("decode members: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
