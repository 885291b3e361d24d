package e2e

import (
	"context"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pgtest"
)

// TestTheSLABinaryInMigrateOnlyModeMigratesAndExits runs the sla binary as
// the deployment's migration Job does (MIGRATE_ONLY=1, a database URL and a
// log level, no token secret, no development mode) against a fresh
// database: it exits 0 with schema sla and River's tables in it, having
// opened no port (its gRPC and admin addresses are held by the test, so
// listening would fail), and exits 0 again on a second run. It exits
// non-zero when it cannot migrate.
func TestTheSLABinaryInMigrateOnlyModeMigratesAndExits(t *testing.T) {
	t.Parallel()
	binaries(t) // built before runCommand's clock starts
	dbURL, db := pgtest.NewDBURL(t, "e2e_fresh", func(context.Context, *pgxpool.Pool) error { return nil })
	held := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		t.Cleanup(func() { _ = l.Close() })
		return l.Addr().String()
	}
	env := []string{"MIGRATE_ONLY=1", "DATABASE_URL=" + dbURL, "LOG_LEVEL=info", "GRPC_ADDR=" + held(), "ADMIN_ADDR=" + held()}
	ctx := context.Background()
	var tables int
	require.NoError(t, db.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'sla'`).Scan(&tables))
	require.Zero(t, tables, "the database is fresh")

	for _, run := range []string{"first", "second"} {
		out, err := runCommand(t, "sla", nil, env)
		require.NoError(t, err, "%s run:\n%s", run, out)
		require.Contains(t, out, "sla schema migrated", "%s run", run)
	}
	var version int64
	require.NoError(t, db.QueryRow(ctx, `SELECT max(version_id) FROM sla.goose_db_version`).Scan(&version))
	require.Equal(t, int64(3), version, "every goose migration of the service")
	for _, table := range []string{"sla.clocks", "sla.clock_events", "sla.river_job", "sla.river_migration"} {
		var ok bool
		require.NoError(t, db.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&ok))
		require.True(t, ok, "%s exists", table)
	}
	var granted bool
	require.NoError(t, db.QueryRow(ctx, `SELECT has_table_privilege('trustengine_app', 'sla.river_job', 'INSERT')`).Scan(&granted))
	require.True(t, granted, "the application role may insert jobs, as the service's start-up grants")

	failing := []struct{ name, env string }{
		{"a database it cannot reach", "DATABASE_URL=postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"},
		{"a MIGRATE_ONLY that is no boolean", "MIGRATE_ONLY=perhaps"},
	}
	for _, f := range failing {
		t.Run("it exits non-zero with "+f.name, func(t *testing.T) {
			out, err := runCommand(t, "sla", nil, append(append([]string{}, env...), f.env))
			require.Error(t, err, "sla exited 0:\n%s", out)
			require.NotContains(t, out, "sla schema migrated")
		})
	}
}
