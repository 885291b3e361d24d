package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

// HasHeldGBV reports whether the team holds or ever held a GBV ticket.
func (s *Store) HasHeldGBV(ctx context.Context, tx pgx.Tx, teamID string) (bool, error) {
	var held bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM routing.assignments
		WHERE team_id = $1 AND category = 'gbv')`, teamID).Scan(&held); err != nil {
		return false, fmt.Errorf("store.HasHeldGBV: %w", err)
	}
	return held, nil
}

// SAPSTeamsEscalatingTo returns the names of the other SAPS teams whose
// escalation team is teamID, by name.
func (s *Store) SAPSTeamsEscalatingTo(ctx context.Context, tx pgx.Tx, teamID string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT name FROM routing.teams
		WHERE escalation_team_id = $1 AND is_saps AND id <> $1 ORDER BY name`, teamID)
	if err != nil {
		return nil, fmt.Errorf("store.SAPSTeamsEscalatingTo: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store.SAPSTeamsEscalatingTo: %w", err)
	}
	return names, nil
}

// TeamsByName loads the tenant's teams of those names (without areas), by
// name, in one query.
func (s *Store) TeamsByName(ctx context.Context, tx pgx.Tx, tenant string, names []string) (map[string]domain.Team, error) {
	rows, err := tx.Query(ctx, `SELECT `+teamCols+` FROM routing.teams t WHERE t.tenant = $2 AND t.name = ANY ($3)`,
		false, tenant, names)
	if err != nil {
		return nil, fmt.Errorf("store.TeamsByName: %w", err)
	}
	teams, err := scanTeams(rows)
	if err != nil {
		return nil, fmt.Errorf("store.TeamsByName: %w", err)
	}
	out := make(map[string]domain.Team, len(teams))
	for _, t := range teams {
		out[t.Name] = t
	}
	return out, nil
}
