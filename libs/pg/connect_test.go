package pg_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
)

func TestConnectSizesThePoolForGroupCommitUnlessTheURLSays(t *testing.T) {
	t.Parallel()
	url, _ := pgtest.NewDBURL(t, "pg_connect", func(context.Context, *pgxpool.Pool) error { return nil })
	pool, err := pg.Connect(t.Context(), url)
	require.NoError(t, err)
	defer pool.Close()
	require.EqualValues(t, pg.DefaultMaxConns, pool.Config().MaxConns)

	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	pool, err = pg.Connect(t.Context(), url+sep+"pool_max_conns=3")
	require.NoError(t, err)
	defer pool.Close()
	require.EqualValues(t, 3, pool.Config().MaxConns)
}
