package store

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// nearestShortlist is how many teams the KNN index pre-selects by planar
// distance before exact geography distances decide; planar and spheroidal
// order differ only slightly at South African latitudes.
const nearestShortlist = 8

// teamFilter restricts candidates: GBV only to active SAPS teams of any
// category; everything else to active non-SAPS teams of the category.
const teamFilter = `t.tenant = $1 AND t.active AND
	CASE WHEN $2 = 'gbv' THEN t.is_saps ELSE NOT t.is_saps AND t.category = $2 END`

// candidatesSQL applies the routing rules in order in one statement, each
// rule only when the ones before it found nothing: the eligible teams whose
// area covers the point (border points count for both sides), most specific
// area first, then by id; else the nearest areas; else the teams without an
// area, by id. routing.covering_teams and routing.nearest_teams keep the
// tenant wall and let ST_Covers and the KNN operator <-> use the GIST index
// on service_area, which row-level security would prevent (see migration
// 00003). The KNN index shortlists $5 teams by planar distance before exact
// geography distances decide.
const candidatesSQL = `WITH covering AS (
	SELECT 1 AS rule, c.ord, c.id::text AS id, c.name, true AS contains, 0::float8 AS distance, c.area_sq_km, c.has_members
	  FROM routing.covering_teams($1, $2, $3, $4) WITH ORDINALITY AS c(id, name, area_sq_km, has_members, ord)
), nearest AS (
	SELECT 2, n.ord, n.id::text, n.name, false, n.distance_meters, n.area_sq_km, n.has_members
	  FROM routing.nearest_teams($1, $2, $3, $4, $5) WITH ORDINALITY AS n(id, name, distance_meters, area_sq_km, has_members, ord)
	 WHERE NOT EXISTS (SELECT FROM covering)
), bare AS (
	SELECT 3, row_number() OVER (ORDER BY t.id), t.id::text, t.name, false, 0::float8, t.area_sq_km,
	       (jsonb_typeof(t.members) = 'array' AND t.members <> '[]'::jsonb)
	  FROM routing.teams t
	 WHERE ` + teamFilter + ` AND t.service_area IS NULL
	   AND NOT EXISTS (SELECT FROM covering) AND NOT EXISTS (SELECT FROM nearest)
	 ORDER BY t.id LIMIT $5
)
SELECT * FROM covering UNION ALL SELECT * FROM nearest UNION ALL SELECT * FROM bare ORDER BY 1, 2`

func candidatesArgs(q domain.RouteQuery) []any {
	return []any{q.Tenant, string(q.Category), q.Lng, q.Lat, nearestShortlist}
}

// QueueCandidates adds the routing rules' search for q (see candidatesSQL)
// to b (for pg.Read, or a transaction's first reads);
// its answer lands in c when the batch is read.
func (s *Store) QueueCandidates(b *pgx.Batch, q domain.RouteQuery, c *domain.Candidates) {
	b.Queue(candidatesSQL, candidatesArgs(q)...).Query(func(rows pgx.Rows) error {
		got, err := collectCandidates(rows)
		if err != nil {
			return fmt.Errorf("store.QueueCandidates: %w", err)
		}
		*c = got
		return nil
	})
}

func collectCandidates(rows pgx.Rows) (domain.Candidates, error) {
	var c domain.Candidates
	rule := 0
	teams, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Candidate, error) {
		var ord int64
		var t domain.Candidate
		err := row.Scan(&rule, &ord, &t.TeamID, &t.TeamName, &t.ContainsPoint, &t.DistanceMeters, &t.AreaSqKm, &t.HasMembers)
		return t, err
	})
	if err != nil || len(teams) == 0 {
		return c, err
	}
	c.Teams, c.Reason = teams, word.ReasonFallbackNearest
	switch rule {
	case 1:
		c.Reason = word.ReasonGeospatial
	case 2:
		// The shortlist came by planar distance; exact distance decides,
		// ties by id.
		sort.SliceStable(c.Teams, func(i, j int) bool {
			if c.Teams[i].DistanceMeters != c.Teams[j].DistanceMeters {
				return c.Teams[i].DistanceMeters < c.Teams[j].DistanceMeters
			}
			return c.Teams[i].TeamID < c.Teams[j].TeamID
		})
	}
	return c, nil
}

// leastLoadedSQL picks the member of team $1 with the fewest current
// assignments whose ticket is not finished (unknown status counts as
// open), ties by user id.
const leastLoadedSQL = `SELECT m->>'user_id' AS uid FROM routing.teams t,
		jsonb_array_elements(t.members) m
	WHERE t.id = $1
	ORDER BY (SELECT count(*) FROM routing.assignments a
		LEFT JOIN routing.ticket_status s ON s.ticket_id = a.ticket_id
		WHERE a.is_current AND a.team_id = t.id AND a.person_id = m->>'user_id'
		  AND coalesce(s.status, 'open') <> ALL ($2)), uid
	LIMIT 1`

// QueueLeastLoadedMember adds LeastLoadedMember's query to b (for
// pg.Read); the member lands in uid ("" when the team has none).
func (s *Store) QueueLeastLoadedMember(b *pgx.Batch, teamID string, uid *string) {
	b.Queue(leastLoadedSQL, teamID, word.Finished()).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			if err := rows.Scan(uid); err != nil {
				return fmt.Errorf("store.QueueLeastLoadedMember: %w", err)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store.QueueLeastLoadedMember: %w", err)
		}
		return nil
	})
}

// LeastLoadedMember returns the member of the team who gets the next
// ticket (see leastLoadedSQL); "" when the team has no members.
func (s *Store) LeastLoadedMember(ctx context.Context, tx pgx.Tx, teamID string) (string, error) {
	var uid string
	err := tx.QueryRow(ctx, leastLoadedSQL, teamID, word.Finished()).Scan(&uid)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("store.LeastLoadedMember: %w", err)
	}
	return uid, nil
}
