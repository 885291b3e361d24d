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
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
)

// migrations reads a service's goose migrations from the repository, by
// file name.
func migrations(t *testing.T, service string) map[string][]byte {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(filepath.Dir(file)), "services", service, "migrations")
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

// latest is the version of the newest of files.
func latest(t *testing.T, files map[string][]byte) int {
	t.Helper()
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range files {
			if !yield(n) {
				return
			}
		}
	})
	v, err := strconv.Atoi(strings.SplitN(names[len(names)-1], "_", 2)[0])
	require.NoError(t, err)
	return v
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

// legacyGBV is a database an older version of a service left GBV text in
// plain text in: its schema up to (not including) migration before, a row
// of plain text written by seed, and plain, which counts such rows.
type legacyGBV struct {
	before string
	seed   func(ctx context.Context, db *pgxpool.Pool) error
	plain  string
}

// TestMigrateOnlyPreparesTheDatabaseAndServesNothing runs the binary of
// every domain service as the deployment's migration Job does
// (deploy/base/migrate/job.yaml: MIGRATE_ONLY=1, the database, the log
// level and, for a service that seals GBV content, the key ring; no token
// secret, no development mode): against a fresh database it exits 0 having
// migrated its schema to its latest migration and River's tables, and
// validated the checks that keep GBV plaintext out; a second run exits 0
// too; it never serves (its ports are held by the test, so a process that
// tried to listen would fail). A database an older version left GBV text
// in plain text in comes out sealed. The ticket service opens no photo
// store (one serving would refuse) and leaves its upload spool alone. It
// exits non-zero when it cannot migrate.
func TestMigrateOnlyPreparesTheDatabaseAndServesNothing(t *testing.T) {
	t.Parallel()
	binaries(t) // built before runCommand's clock starts
	services := []struct {
		name string
		// sealed are the checks that keep GBV plaintext out, which the
		// sealing of a service that seals validates; such a service needs
		// the key ring.
		sealed []string
		// peers are the service's peer addresses, which a migration ignores.
		peers []string
		// photos: the service keeps photos, whose store and upload spool
		// only a serving process opens.
		photos bool
		legacy *legacyGBV
	}{
		{name: "ticket", sealed: []string{"gbv_text_sealed", "gbv_history_sealed", "gbv_note_sealed"},
			peers: []string{"ROUTING_ADDR", "SLA_ADDR", "NOTIFY_ADDR"}, photos: true},
		{name: "routing", sealed: []string{"gbv_note_sealed"}, peers: []string{"TICKET_ADDR"},
			legacy: &legacyGBV{before: "00006", // GBV notes sealed from 00006 on
				seed: func(ctx context.Context, db *pgxpool.Pool) error {
					_, err := db.Exec(ctx, `INSERT INTO routing.assignments (id, tenant, ticket_id, category, assigned_by, reason, note, is_current)
						VALUES ($1, 'CPT', $2, 'gbv', 'mgr', 'manual_override', 'survivor moved to a shelter', true)`, uuid.NewString(), uuid.NewString())
					return err
				},
				plain: `SELECT count(*) FROM routing.assignments WHERE category = 'gbv' AND note <> ''`}},
		{name: "sla", peers: []string{"ROUTING_ADDR", "TICKET_ADDR", "NOTIFY_ADDR"}},
		// notify seals GBV reporters' contacts as it records them and no
		// version kept one in plain text: it migrates without the key ring.
		{name: "notify", peers: []string{"ROUTING_ADDR", "SLA_ADDR"}},
	}
	for _, svc := range services {
		t.Run(svc.name, func(t *testing.T) {
			t.Parallel()
			files := migrations(t, svc.name)
			// A spool file a crashed upload left a day ago, which a serving
			// process deletes at start.
			spool := t.TempDir()
			stale := filepath.Join(spool, "trustengine-photo-upload-1")
			require.NoError(t, os.WriteFile(stale, []byte("half an upload"), 0o600))
			dayAgo := time.Now().Add(-24 * time.Hour)
			require.NoError(t, os.Chtimes(stale, dayAgo, dayAgo))
			env := func(dbURL string, extra ...string) []string {
				e := []string{config.MigrateOnlyVar + "=1", "DATABASE_URL=" + dbURL, "LOG_LEVEL=info",
					"GRPC_ADDR=" + holdPort(t), "ADMIN_ADDR=" + holdPort(t)}
				for _, p := range svc.peers {
					e = append(e, p+"=127.0.0.1:1")
				}
				if svc.photos {
					// An S3 store without its endpoint or keys, which serving
					// refuses: a migration opens no store.
					e = append(e, "ATTACHMENT_STORE=s3", "ATTACHMENT_SPOOL_DIR="+spool)
				}
				if len(svc.sealed) > 0 {
					e = append(e, "GBV_KEYS="+freshGBVKeys(t), "GBV_ACTIVE_KEY_ID=e2e")
				}
				return append(e, extra...)
			}
			type database struct {
				url  string
				pool *pgxpool.Pool
			}
			dbs := map[string]database{}
			url, pool := pgtest.NewDBURL(t, "e2e_migrate_"+svc.name, func(context.Context, *pgxpool.Pool) error { return nil })
			dbs["a fresh database"] = database{url, pool}
			if l := svc.legacy; l != nil {
				url, pool := pgtest.NewDBURL(t, "e2e_migrate_legacy_"+svc.name, func(ctx context.Context, pool *pgxpool.Pool) error {
					old := fstest.MapFS{}
					for n, data := range files {
						if n < l.before {
							old[n] = &fstest.MapFile{Data: data}
						}
					}
					if err := pg.EnsurePostGIS(ctx, pool); err != nil {
						return err
					}
					if err := pg.EnsureAppRole(ctx, pool); err != nil {
						return err
					}
					return pg.Migrate(ctx, pool, svc.name, old)
				})
				require.NoError(t, l.seed(t.Context(), pool))
				dbs["a database with plain-text GBV content"] = database{url, pool}
			}
			for name, db := range dbs {
				t.Run(name, func(t *testing.T) {
					for _, run := range []string{"first", "second"} {
						out, err := runCommand(t, svc.name, nil, env(db.url))
						require.NoError(t, err, "%s run:\n%s", run, out)
						require.NotContains(t, out, `"msg":"serving"`)
						require.Contains(t, out, "migrate-only mode exits without serving", "%s run", run)
					}
					count := func(sql string, args ...any) int {
						var n int
						require.NoError(t, db.pool.QueryRow(t.Context(), sql, args...).Scan(&n), sql)
						return n
					}
					require.Equal(t, latest(t, files), count(`SELECT max(version_id) FROM `+svc.name+`.goose_db_version`),
						"the schema is at its latest migration")
					require.Equal(t, 3, count(`SELECT count(*) FROM pg_tables WHERE schemaname = $1
						AND tablename IN ('river_job', 'river_queue', 'river_leader')`, svc.name), "River's tables are in the service's schema")
					require.Equal(t, 1, count(`SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename = 'river_job'
						AND has_table_privilege('trustengine_app', schemaname || '.' || tablename, 'INSERT')`, svc.name),
						"the application role may insert jobs")
					require.Equal(t, len(svc.sealed), count(`SELECT count(*) FROM pg_constraint
						WHERE connamespace = $1::regnamespace AND conname = ANY($2) AND convalidated`, svc.name, svc.sealed),
						"the checks that keep GBV plaintext out are validated")
					if svc.legacy != nil {
						require.Zero(t, count(svc.legacy.plain), "no plain-text GBV content is left")
					}
					if svc.photos {
						require.FileExists(t, stale, "a migration leaves the upload spool alone")
					}
				})
			}

			t.Run("it fails when it cannot migrate", func(t *testing.T) {
				failing := map[string]struct {
					env    []string
					reason string
				}{
					"an unreachable database": {env("postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"), "pg.Connect"},
					"a migrate-only switch that is not a boolean": {[]string{config.MigrateOnlyVar + "=please", "DATABASE_URL=" + url},
						config.MigrateOnlyVar},
				}
				if len(svc.sealed) > 0 {
					failing["no GBV key ring outside development mode"] = struct {
						env    []string
						reason string
					}{[]string{config.MigrateOnlyVar + "=1", "DATABASE_URL=" + url}, "GBV_KEYS is empty"}
				}
				for name, tc := range failing {
					out, err := runCommand(t, svc.name, nil, tc.env)
					require.Error(t, err, "%s:\n%s", name, out)
					require.Contains(t, out, tc.reason, name)
					require.NotContains(t, out, `"msg":"serving"`, name)
				}
			})
		})
	}
}
