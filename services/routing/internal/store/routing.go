package store

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

// nearestShortlist is how many teams the KNN index pre-selects by planar
// distance before exact geography distances decide; planar and spheroidal
// order differ only slightly at South African latitudes.
const nearestShortlist = 8

// RouteQuery describes which teams may receive a ticket.
type RouteQuery struct {
	Tenant   string
	Category domain.Category
	Lat, Lng float64
}

// teamFilter restricts candidates: GBV only to active SAPS teams of any
// category; everything else to active non-SAPS teams of the category.
const teamFilter = `t.tenant = $1 AND t.active AND
	CASE WHEN $2 = 'gbv' THEN t.is_saps ELSE NOT t.is_saps AND t.category = $2 END`

// ContainingTeams returns the eligible teams whose area covers the point
// (border points count for both sides), most specific area first, then by
// id. routing.covering_teams keeps the tenant wall and lets ST_Covers use
// the GIST index on service_area, which row-level security would prevent
// (see migration 00003).
func ContainingTeams(ctx context.Context, tx pgx.Tx, q RouteQuery) ([]domain.Candidate, error) {
	rows, err := tx.Query(ctx, `SELECT id::text, name, true, 0::float8, area_sq_km, has_members
		FROM routing.covering_teams($1, $2, $3, $4)`, q.Tenant, string(q.Category), q.Lng, q.Lat)
	if err != nil {
		return nil, fmt.Errorf("store.ContainingTeams: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanCandidate)
	if err != nil {
		return nil, fmt.Errorf("store.ContainingTeams: %w", err)
	}
	return out, nil
}

// NearestTeams returns eligible teams with an area, nearest first by exact
// geography distance, ties by id. The KNN operator <-> on the GIST index
// shortlists them inside routing.nearest_teams (see ContainingTeams).
func NearestTeams(ctx context.Context, tx pgx.Tx, q RouteQuery) ([]domain.Candidate, error) {
	rows, err := tx.Query(ctx, `SELECT id::text, name, false, distance_meters, area_sq_km, has_members
		FROM routing.nearest_teams($1, $2, $3, $4, $5)`,
		q.Tenant, string(q.Category), q.Lng, q.Lat, nearestShortlist)
	if err != nil {
		return nil, fmt.Errorf("store.NearestTeams: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanCandidate)
	if err != nil {
		return nil, fmt.Errorf("store.NearestTeams: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].DistanceMeters != out[j].DistanceMeters {
			return out[i].DistanceMeters < out[j].DistanceMeters
		}
		return out[i].TeamID < out[j].TeamID
	})
	return out, nil
}

// TeamsWithoutArea returns eligible teams that have no area, by id.
func TeamsWithoutArea(ctx context.Context, tx pgx.Tx, q RouteQuery) ([]domain.Candidate, error) {
	rows, err := tx.Query(ctx, `SELECT t.id::text, t.name, false, 0::float8, t.area_sq_km,
			(jsonb_typeof(t.members) = 'array' AND t.members <> '[]'::jsonb)
		FROM routing.teams t
		WHERE `+teamFilter+` AND t.service_area IS NULL
		ORDER BY t.id LIMIT $3`, q.Tenant, string(q.Category), nearestShortlist)
	if err != nil {
		return nil, fmt.Errorf("store.TeamsWithoutArea: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanCandidate)
	if err != nil {
		return nil, fmt.Errorf("store.TeamsWithoutArea: %w", err)
	}
	return out, nil
}

func scanCandidate(row pgx.CollectableRow) (domain.Candidate, error) {
	var c domain.Candidate
	err := row.Scan(&c.TeamID, &c.TeamName, &c.ContainsPoint, &c.DistanceMeters, &c.AreaSqKm, &c.HasMembers)
	return c, err
}

// LeastLoadedMember returns the team member with the fewest current
// assignments whose ticket is not finished (unknown status counts as open),
// ties by user id; "" when the team has no members.
func LeastLoadedMember(ctx context.Context, tx pgx.Tx, teamID string) (string, error) {
	var uid string
	err := tx.QueryRow(ctx, `SELECT m->>'user_id' AS uid FROM routing.teams t,
			jsonb_array_elements(t.members) m
		WHERE t.id = $1
		ORDER BY (SELECT count(*) FROM routing.assignments a
			LEFT JOIN routing.ticket_status s ON s.ticket_id = a.ticket_id
			WHERE a.is_current AND a.team_id = t.id AND a.person_id = m->>'user_id'
			  AND coalesce(s.status, 'open') <> ALL ($2)), uid
		LIMIT 1`, teamID, domain.FinishedStatuses).Scan(&uid)
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return "", nil
		}
		return "", fmt.Errorf("store.LeastLoadedMember: %w", err)
	}
	return uid, nil
}
