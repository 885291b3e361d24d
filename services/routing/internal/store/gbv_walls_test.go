package store_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// insertTeam stores a GBV team of CPT as the app role and returns its id.
func insertTeam(t *testing.T, pool *pgxpool.Pool, name string, saps bool) string {
	t.Helper()
	return insertTeamOf(t, pool, "CPT", name, saps)
}

func insertTeamOf(t *testing.T, pool *pgxpool.Pool, tenant, name string, saps bool) string {
	t.Helper()
	var id string
	require.NoError(t, pg.InTx(context.Background(), pool, pg.Scope{Tenant: tenant}, func(tx pgx.Tx) error {
		team, err := store.InsertTeam(context.Background(), tx, domain.Team{Tenant: tenant, Name: name,
			Category: domain.CategoryGBV, IsSAPS: saps, Active: true})
		id = team.ID
		return err
	}))
	return id
}

// The second wall: statements run as the application role, bypassing every
// check of the app, cannot put a GBV ticket outside SAPS teams, make a
// team GBV depends on stop being SAPS, or let a SAPS team escalate outside
// SAPS.
func TestTheDatabaseRefusesGBVOutsideSAPS(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewDB(t, "routingstore", store.Migrate)
	saps := insertTeam(t, pool, "SAPS", true)
	sapsTarget := insertTeam(t, pool, "SAPS escalation", true)
	plain := insertTeam(t, pool, "Social workers", false)
	raw := func(sql string, args ...any) error {
		return pg.InTx(ctx, pool, pg.Scope{Tenant: "CPT", Subject: "raw"}, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, sql, args...)
			return err
		})
	}
	insert := `INSERT INTO routing.assignments (id, tenant, ticket_id, category, team_id, assigned_by, reason, note, is_current)
		VALUES (gen_random_uuid(), 'CPT', $1, $2, $3, 'raw', 'manual_override', $4, false)`
	ticket := uuid.NewString()
	require.NoError(t, raw(insert, ticket, "gbv", saps, ""), "a GBV assignment to a SAPS team is fine")
	require.NoError(t, raw(`UPDATE routing.teams SET escalation_team_id = $2 WHERE id = $1`, saps, sapsTarget))

	tests := []struct {
		name, sql, wall string
		args            []any
	}{
		{"a GBV assignment to a team that is not SAPS", insert, "gbv_assignment_saps_only",
			[]any{uuid.NewString(), "gbv", plain, ""}},
		{"a GBV assignment to a SAPS team of another municipality", insert, "gbv_assignment_saps_only",
			[]any{uuid.NewString(), "gbv", insertTeamOf(t, pool, "JHB", "SAPS", true), ""}},
		{"a team that held a GBV ticket stops being SAPS", `UPDATE routing.teams SET is_saps = false WHERE id = $1`,
			"gbv_team_stays_saps", []any{saps}},
		{"a team a SAPS team escalates to stops being SAPS", `UPDATE routing.teams SET is_saps = false WHERE id = $1`,
			"gbv_saps_escalation", []any{sapsTarget}},
		{"a SAPS team escalates to a team that is not SAPS", `UPDATE routing.teams SET escalation_team_id = $2 WHERE id = $1`,
			"gbv_saps_escalation", []any{saps, plain}},
		{"a new SAPS team escalates to a team that is not SAPS", `INSERT INTO routing.teams (id, tenant, name, category,
			is_saps, escalation_team_id) VALUES (gen_random_uuid(), 'CPT', 'SAPS new', 'gbv', true, $1)`,
			"gbv_saps_escalation", []any{plain}},
		{"a team escalating outside SAPS becomes SAPS", `UPDATE routing.teams SET is_saps = true, escalation_team_id = $2
			WHERE id = $1`, "gbv_saps_escalation", []any{plain, insertTeam(t, pool, "Counsellors", false)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := raw(tc.sql, tc.args...)
			require.Error(t, err)
			require.True(t, pg.IsCheckViolation(err), "%v", err)
			require.Equal(t, tc.wall, pg.ConstraintName(err))
		})
	}
	require.Equal(t, 1, count(t, pool, `SELECT count(*) FROM routing.assignments`), "nothing was written")
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}
