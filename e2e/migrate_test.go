package e2e

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
)

// routingMigrations reads the routing service's goose migrations from the
// repository, by file name.
func routingMigrations(t *testing.T) map[string][]byte {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(filepath.Dir(file)), "services", "routing", "migrations")
	names, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	out := map[string][]byte{}
	for _, n := range names {
		data, err := os.ReadFile(n)
		require.NoError(t, err)
		out[filepath.Base(n)] = data
	}
	return out
}

// holdPort listens on a free loopback port for the test's lifetime, so a
// process told to serve there cannot.
func holdPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	return l.Addr().String()
}

// TestMigrateOnlyPreparesRoutingsDatabaseAndServesNothing runs the routing
// binary as the deployment's migration job does (MIGRATE_ONLY=1, outside
// development mode, with the GBV key ring and no token secret) against a
// fresh database and against one an older version left GBV notes in plain
// text in: it exits 0 having migrated the schema and River's tables and
// sealed the notes, again on a second run, and never serves: its ports are
// held by the test, so a process that tried to listen would fail. It exits
// non-zero when it cannot migrate.
func TestMigrateOnlyPreparesRoutingsDatabaseAndServesNothing(t *testing.T) {
	t.Parallel()
	files := routingMigrations(t)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range files {
			if !yield(n) {
				return
			}
		}
	})
	latest, err := strconv.Atoi(strings.SplitN(names[len(names)-1], "_", 2)[0])
	require.NoError(t, err)

	fresh, freshDB := pgtest.NewDBURL(t, "e2e_migrate", func(context.Context, *pgxpool.Pool) error { return nil })
	legacy, legacyDB := pgtest.NewDBURL(t, "e2e_migrate_legacy", func(ctx context.Context, pool *pgxpool.Pool) error {
		// The schema as it was before GBV notes were sealed (00006).
		old := fstest.MapFS{}
		for _, n := range names {
			if n < "00006" {
				old[n] = &fstest.MapFile{Data: files[n]}
			}
		}
		if err := pg.EnsurePostGIS(ctx, pool); err != nil {
			return err
		}
		if err := pg.EnsureAppRole(ctx, pool); err != nil {
			return err
		}
		return pg.Migrate(ctx, pool, "routing", old)
	})
	_, err = legacyDB.Exec(t.Context(), `INSERT INTO routing.assignments (id, tenant, ticket_id, category, assigned_by, reason, note, is_current)
		VALUES ($1, 'CPT', $2, 'gbv', 'mgr', 'manual_override', 'survivor moved to a shelter', true)`, uuid.NewString(), uuid.NewString())
	require.NoError(t, err)

	env := func(dbURL string, extra ...string) []string {
		return append([]string{config.MigrateOnlyVar + "=1", "DATABASE_URL=" + dbURL, "GRPC_ADDR=" + holdPort(t),
			"ADMIN_ADDR=" + holdPort(t), "TICKET_ADDR=127.0.0.1:1", "GBV_KEYS=" + freshGBVKeys(t), "GBV_ACTIVE_KEY_ID=e2e"}, extra...)
	}
	for name, db := range map[string]struct {
		url  string
		pool *pgxpool.Pool
	}{"a fresh database": {fresh, freshDB}, "a database with plain-text GBV notes": {legacy, legacyDB}} {
		t.Run(name, func(t *testing.T) {
			for _, run := range []string{"first", "second"} {
				out, err := runCommand(t, "routing", nil, env(db.url))
				require.NoError(t, err, "%s run:\n%s", run, out)
				require.NotContains(t, out, `"msg":"serving"`)
			}
			var version, riverTables, plain, validated int
			require.NoError(t, db.pool.QueryRow(t.Context(), `SELECT max(version_id) FROM routing.goose_db_version`).Scan(&version))
			require.NoError(t, db.pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_tables WHERE schemaname = 'routing'
				AND tablename IN ('river_job', 'river_queue', 'river_leader')`).Scan(&riverTables))
			require.NoError(t, db.pool.QueryRow(t.Context(), `SELECT count(*) FROM routing.assignments
				WHERE category = 'gbv' AND note <> ''`).Scan(&plain))
			require.NoError(t, db.pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_constraint
				WHERE conname = 'gbv_note_sealed' AND convalidated`).Scan(&validated))
			require.Equal(t, []int{latest, 3, 0, 1}, []int{version, riverTables, plain, validated},
				"schema at its latest migration, River's tables, no plain-text GBV note, the seal constraint validated")
		})
	}

	t.Run("it fails when it cannot migrate", func(t *testing.T) {
		for name, tc := range map[string]struct {
			env    []string
			reason string
		}{
			"an unreachable database":                     {env("postgres://postgres@127.0.0.1:1/none?sslmode=disable"), "pg.Connect"},
			"no GBV key ring outside development mode":    {[]string{config.MigrateOnlyVar + "=1", "DATABASE_URL=" + fresh}, "GBV_KEYS is empty"},
			"a migrate-only switch that is not a boolean": {[]string{config.MigrateOnlyVar + "=please", "DATABASE_URL=" + fresh}, config.MigrateOnlyVar},
		} {
			out, err := runCommand(t, "routing", nil, tc.env)
			require.Error(t, err, "%s:\n%s", name, out)
			require.Contains(t, out, tc.reason, name)
			require.NotContains(t, out, `"msg":"serving"`, name)
		}
	})
}
