package server_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pgtest"
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
