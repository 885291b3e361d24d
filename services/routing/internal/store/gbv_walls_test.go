package store_test

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
	"github.com/salga/trustengine/services/routing/migrations"
)

func devKeys(t *testing.T) *seal.Keyring {
	t.Helper()
	keys, err := seal.ParseKeyring(seal.DevKeys, "dev")
	require.NoError(t, err)
	return keys
}

// insertTeam stores a GBV team of CPT as the app role and returns its id.
func insertTeam(t *testing.T, pool *pgxpool.Pool, name string, saps bool) string {
	t.Helper()
	return insertTeamOf(t, pool, "CPT", name, saps)
}

func insertTeamOf(t *testing.T, pool *pgxpool.Pool, tenant, name string, saps bool) string {
	t.Helper()
	var id string
	require.NoError(t, pg.InTx(context.Background(), pool, pg.Scope{Tenant: tenant}, func(tx pgx.Tx) error {
		team, err := store.New(devKeys(t)).InsertTeam(context.Background(), tx, domain.Team{Tenant: tenant, Name: name,
			Category: word.CategoryGBV, IsSAPS: saps, Active: true})
		id = team.ID
		return err
	}))
	return id
}

// The second wall: statements run as the application role, bypassing every
// check of the app, cannot put a GBV ticket outside SAPS teams, make a
// team GBV depends on stop being SAPS, let a SAPS team escalate outside
// SAPS, store a GBV note in plain text, or rewrite the history.
func TestTheDatabaseRefusesGBVOutsideSAPS(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewDB(t, "routingstore", prepare)
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
		{"a GBV assignment with its note in plain text", insert, "gbv_note_sealed",
			[]any{uuid.NewString(), "gbv", saps, "statement taken"}},
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
	t.Run("the history cannot be rewritten", func(t *testing.T) {
		for _, stmt := range []string{`UPDATE routing.assignments SET team_id = $1`, `UPDATE routing.assignments SET note = $1::text`} {
			err := raw(stmt, plain)
			require.ErrorContains(t, err, "permission denied", stmt)
		}
	})
	require.Equal(t, 1, count(t, pool, `SELECT count(*) FROM routing.assignments`), "nothing was written")
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

// beforeSealedNotes is the routing schema as it was before GBV notes were
// sealed (migration 00006).
func beforeSealedNotes(ctx context.Context, pool *pgxpool.Pool) error {
	old := fstest.MapFS{}
	for _, name := range []string{"00001_schema.sql", "00002_assignments_append_only.sql",
		"00003_spatial_candidates.sql", "00004_spatial_candidates_cached_plans.sql", "00005_gbv_saps_only.sql"} {
		data, err := fs.ReadFile(migrations.FS, name)
		if err != nil {
			return err
		}
		old[name] = &fstest.MapFile{Data: data}
	}
	return pg.Migrate(ctx, pool, "routing", old)
}

// A database whose GBV assignment notes were written in plain text before
// they were sealed: the service's start-up seals them (bound to their row),
// validates the constraint, and from then on no plain-text GBV note can be
// written; notes of other tickets stay as they were.
func TestStartUpSealsLegacyGBVNotes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewDB(t, "routinglegacy", beforeSealedNotes)
	// The teams are written as that older schema has them (the store's
	// statements read columns later migrations add).
	legacyTeam := func(name string, saps bool) string {
		id := uuid.NewString()
		_, err := pool.Exec(ctx, `INSERT INTO routing.teams (id, tenant, name, category, is_saps) VALUES ($1, 'CPT', $2, 'gbv', $3)`,
			id, name, saps)
		require.NoError(t, err)
		return id
	}
	saps := legacyTeam("SAPS", true)
	water := legacyTeam("Water", false)
	legacy := map[string]string{}
	add := func(category, team, note string) string {
		id, ticket := uuid.NewString(), uuid.NewString()
		_, err := pool.Exec(ctx, `INSERT INTO routing.assignments (id, tenant, ticket_id, category, team_id, assigned_by,
			reason, note, is_current) VALUES ($1, 'CPT', $2, $3, $4, 'mgr', 'manual_override', $5, true)`,
			id, ticket, category, team, note)
		require.NoError(t, err)
		legacy[id] = note
		return id
	}
	for range 3 {
		add("gbv", saps, "victim moved to a shelter in Khayelitsha")
	}
	plain := add("water", water, "burst main on Darling St")
	empty := add("gbv", saps, "")

	keys := devKeys(t)
	st := store.New(keys)
	require.NoError(t, store.Prepare(ctx, pool, keys))
	require.NoError(t, store.Prepare(ctx, pool, keys), "a second start finds nothing to do")

	require.Zero(t, count(t, pool, `SELECT count(*) FROM routing.assignments WHERE category = 'gbv' AND note <> ''`))
	require.Equal(t, 3, count(t, pool, `SELECT count(*) FROM routing.assignments WHERE note_sealed IS NOT NULL`))
	require.Equal(t, 1, count(t, pool, `SELECT count(*) FROM pg_constraint WHERE conname = 'gbv_note_sealed' AND convalidated`))
	var got []domain.Assignment
	require.NoError(t, pg.InTx(ctx, pool, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		for id := range legacy {
			var ticket string
			if err := tx.QueryRow(ctx, `SELECT ticket_id::text FROM routing.assignments WHERE id = $1`, id).Scan(&ticket); err != nil {
				return err
			}
			as, err := st.ListAssignments(ctx, tx, ticket, true)
			if err != nil {
				return err
			}
			got = append(got, as...)
		}
		return nil
	}))
	require.Len(t, got, len(legacy))
	for _, a := range got {
		if a.ID == plain || a.ID == empty {
			require.Nil(t, a.SealedNote)
		} else {
			require.NotNil(t, a.SealedNote)
			require.Empty(t, a.Note, "a sealed note reads as nothing until opened")
		}
		require.NoError(t, st.OpenNote(&a))
		require.Equal(t, legacy[a.ID], a.Note)

		moved := a
		moved.ID = uuid.NewString()
		if a.SealedNote != nil {
			require.Error(t, st.OpenNote(&moved), "a sealed note copied to another row does not open")
		}
	}

	_, err := pool.Exec(ctx, `INSERT INTO routing.assignments (id, tenant, ticket_id, category, team_id, assigned_by,
		reason, note, is_current) VALUES ($1, 'CPT', $2, 'gbv', $3, 'mgr', 'manual_override', 'plain', false)`,
		uuid.NewString(), uuid.NewString(), saps)
	require.True(t, pg.IsCheckViolation(err), "even the owner cannot write a plain-text GBV note now: %v", err)
}
