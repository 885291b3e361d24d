package pg_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
)

// onePool returns a pool of db's database with a single connection, so that
// consecutive calls are known to share it.
func onePool(t *testing.T, db *pgxpool.Pool) *pgxpool.Pool {
	t.Helper()
	cfg := db.Config().Copy()
	cfg.MaxConns, cfg.MinConns = 1, 0
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool
}

// session reads the connection's settings outside any scope.
func session(t *testing.T, pool *pgxpool.Pool) (tenant, role string) {
	t.Helper()
	require.NoError(t, pool.QueryRow(context.Background(),
		`SELECT coalesce(current_setting('app.tenant', true), ''), current_user::text`).Scan(&tenant, &role))
	return tenant, role
}

func TestReadRunsItsQueriesInTheScope(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := onePool(t, newDB(t))
	_, owner := session(t, pool)
	var names []string
	var tenant, role, readOnly string
	err := pg.Read(ctx, pool, pg.Scope{Tenant: "CPT", Subject: "u1", Roles: []string{"agent"}}, func(b *pgx.Batch) {
		b.Queue(`SELECT name FROM rlstest.items ORDER BY name`).Query(func(rows pgx.Rows) error {
			var err error
			names, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
		b.Queue(`SELECT current_setting('app.tenant'), current_user, current_setting('transaction_read_only')`).
			QueryRow(func(row pgx.Row) error { return row.Scan(&tenant, &role, &readOnly) })
	})
	require.NoError(t, err)
	require.Equal(t, []string{"pipe", "pothole"}, names, "a query without a tenant filter sees only the scope's rows")
	require.Equal(t, []string{"CPT", pg.AppRole, "on"}, []string{tenant, role, readOnly})

	tenant, role = session(t, pool)
	require.Equal(t, []string{"", owner}, []string{tenant, role}, "the scope ends with the read, on the same connection")
}

func TestReadRefusesWritesAndReportsErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newDB(t)
	pool := onePool(t, db)
	scope := pg.Scope{Tenant: "CPT"}

	err := pg.Read(ctx, pool, scope, func(b *pgx.Batch) {
		b.Queue(`INSERT INTO rlstest.items (tenant, name) VALUES ('CPT', 'sneaked')`)
	})
	require.Equal(t, "25006", pg.SQLState(err), "a write in a read is refused: %v", err)

	boom := errors.New("boom")
	err = pg.Read(ctx, pool, scope, func(b *pgx.Batch) {
		b.Queue(`SELECT 1`).QueryRow(func(row pgx.Row) error { return boom })
	})
	require.ErrorIs(t, err, boom, "a callback's error is returned")

	err = pg.Read(ctx, pool, scope, func(b *pgx.Batch) {
		b.Queue(`SELECT * FROM rlstest.nosuch`)
	})
	require.Equal(t, "42P01", pg.SQLState(err), "a database error is returned: %v", err)

	var n int
	require.NoError(t, db.QueryRow(ctx, `SELECT count(*) FROM rlstest.items`).Scan(&n))
	require.Equal(t, 3, n, "nothing was written")
	tenant, _ := session(t, pool)
	require.Empty(t, tenant, "a failed read leaves the connection unscoped")
}

func TestInTxScopeEndsWithTheTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := onePool(t, newDB(t))
	_, owner := session(t, pool)
	for _, fail := range []bool{false, true} {
		err := pg.InTx(ctx, pool, pg.Scope{Tenant: "JHB"}, func(tx pgx.Tx) error {
			var got string
			if err := tx.QueryRow(ctx, `SELECT name FROM rlstest.items`).Scan(&got); err != nil {
				return err
			}
			require.Equal(t, "outage", got)
			if fail {
				return errors.New("fail")
			}
			return nil
		})
		require.Equal(t, fail, err != nil, "%v", err)
		tenant, role := session(t, pool)
		require.Equal(t, []string{"", owner}, []string{tenant, role}, "fail=%v", fail)
	}
}
