package pgtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func setup(ctx context.Context, pool *pgxpool.Pool) error {
	_, err := pool.Exec(ctx, `CREATE TABLE seeded (n int); INSERT INTO seeded VALUES (7)`)
	return err
}

func TestEachTestGetsItsOwnClonedDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url, pool := pgtest.NewDBURL(t, "pgtest", setup)
	other := pgtest.NewDB(t, "pgtest", setup)

	_, err := pool.Exec(ctx, `INSERT INTO seeded VALUES (8)`)
	require.NoError(t, err)
	var n int
	require.NoError(t, other.QueryRow(ctx, `SELECT count(*) FROM seeded`).Scan(&n))
	require.Equal(t, 1, n, "writes in one database do not show in another")

	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM seeded`).Scan(&n))
	require.Equal(t, 2, n, "the URL reaches the same database as the pool")

	var postgis string
	require.NoError(t, conn.QueryRow(ctx, `SELECT postgis_lib_version()`).Scan(&postgis))
	require.NotEmpty(t, postgis)
	var hasRole bool
	require.NoError(t, conn.QueryRow(ctx, `SELECT exists (SELECT FROM pg_roles WHERE rolname = $1)`, pg.AppRole).Scan(&hasRole))
	require.True(t, hasRole)
}

func TestManyParallelClones(t *testing.T) {
	t.Parallel()
	for i := range 6 {
		t.Run("clone "+string(rune('a'+i)), func(t *testing.T) {
			t.Parallel()
			var n int
			require.NoError(t, pgtest.NewDB(t, "pgtest", setup).QueryRow(context.Background(), `SELECT n FROM seeded`).Scan(&n))
			require.Equal(t, 7, n)
		})
	}
}

func TestAClusterOfTheTestsOwnStopsAndStartsAgain(t *testing.T) {
	t.Parallel()
	c := pgtest.StartCluster(t)
	url, pool := c.NewDBURL(t, nil)
	ctx := context.Background()
	var postgis string
	require.NoError(t, pool.QueryRow(ctx, `select extversion from pg_extension where extname = 'postgis'`).Scan(&postgis))
	require.NotEmpty(t, postgis, "PostGIS is there")
	require.NoError(t, c.Stop())
	require.Error(t, pool.Ping(ctx), "a stopped cluster answers nothing")
	require.NoError(t, c.Start())
	require.NoError(t, pool.Ping(ctx), "the pool reconnects once it is back")
	require.Contains(t, url, "127.0.0.1:")
}
