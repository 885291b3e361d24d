package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/server"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestMigrateOnlyRunsThePreparationAndReportsItsFailure(t *testing.T) {
	t.Parallel()
	url, db := pgtest.NewDBURL(t, "server_migrate", func(context.Context, *pgxpool.Pool) error { return nil })
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	created := func(ctx context.Context, pool *pgxpool.Pool) error {
		_, err := pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS prepared (id int)`)
		return err
	}
	require.NoError(t, server.MigrateOnly(t.Context(), "test", url, quiet, created))
	var n int
	require.NoError(t, db.QueryRow(t.Context(), `SELECT count(*) FROM pg_tables WHERE tablename = 'prepared'`).Scan(&n))
	require.Equal(t, 1, n, "the preparation ran against the database")

	broken := errors.New("migration 00042 failed")
	err := server.MigrateOnly(t.Context(), "test", url, quiet, func(context.Context, *pgxpool.Pool) error { return broken })
	require.ErrorIs(t, err, broken, "a failed preparation is the run's error, so the process exits non-zero")

	ran := false
	err = server.MigrateOnly(t.Context(), "test", "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", quiet,
		func(context.Context, *pgxpool.Pool) error { ran = true; return nil })
	require.Error(t, err, "an unreachable database fails the run")
	require.False(t, ran, "nothing is prepared without a database")
}

// This test uses t.Setenv, which forbids t.Parallel.
func TestAMigrationReadsOnlyTheDatabaseAndTheKeyRing(t *testing.T) {
	url, db := pgtest.NewDBURL(t, "server_migrate_env", func(context.Context, *pgxpool.Pool) error { return nil })
	t.Setenv("DATABASE_URL", url)
	t.Setenv("LOG_LEVEL", "error")
	// Settings a migration does not read cannot stop it, however broken.
	t.Setenv("SHUTDOWN_TIMEOUT", "soon")
	t.Setenv("JWT_HS256_SECRET", "")
	t.Setenv("SERVICE_JWT_SECRET", "")
	t.Setenv(config.DevModeVar, "")
	t.Setenv("GBV_KEYS", "")
	table := func(name string) server.Prepare {
		return func(ctx context.Context, pool *pgxpool.Pool) error {
			_, err := pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+name+` (id int)`)
			return err
		}
	}
	exists := func(name string) bool {
		var n int
		require.NoError(t, db.QueryRow(t.Context(), `SELECT count(*) FROM pg_tables WHERE tablename = $1`, name).Scan(&n))
		return n == 1
	}

	require.NoError(t, server.Migrate(table("plain"))(t.Context(), "test"))
	require.True(t, exists("plain"), "a service that seals nothing needs no key ring")

	sealed := func(keys *seal.Keyring) server.Prepare {
		require.NotNil(t, keys)
		return table("sealed")
	}
	err := server.MigrateSealed(sealed)(t.Context(), "test")
	require.ErrorContains(t, err, "GBV_KEYS is empty", "a service that seals needs its key ring outside development mode")
	require.False(t, exists("sealed"))

	t.Setenv("GBV_KEYS", "k1:"+base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32)))
	t.Setenv("GBV_ACTIVE_KEY_ID", "k1")
	require.NoError(t, server.MigrateSealed(sealed)(t.Context(), "test"))
	require.True(t, exists("sealed"))
}
