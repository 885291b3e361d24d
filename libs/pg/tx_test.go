package pg_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
)

func listNames(t *testing.T, scope pg.Scope, db *pgxpool.Pool, sql string) []string {
	t.Helper()
	var out []string
	err := pg.InTx(context.Background(), db, scope, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), sql)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if len(out) == 0 {
			out = nil
		}
		return err
	})
	require.NoError(t, err)
	return out
}

func TestInTxConfinesQueriesToTheScopeTenant(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	tests := []struct {
		name  string
		scope pg.Scope
		sql   string
		want  []string
	}{
		{"a tenant sees only its own rows", pg.Scope{Tenant: "CPT"}, `SELECT name FROM rlstest.items WHERE tenant = 'CPT' ORDER BY name`, []string{"pipe", "pothole"}},
		{"a forgotten WHERE still shows only the tenant's rows", pg.Scope{Tenant: "CPT"}, `SELECT name FROM rlstest.items ORDER BY name`, []string{"pipe", "pothole"}},
		{"asking for another tenant's rows returns nothing", pg.Scope{Tenant: "CPT"}, `SELECT name FROM rlstest.items WHERE tenant = 'JHB'`, nil},
		{"an all-tenants scope sees every row", pg.Scope{AllTenants: true}, `SELECT name FROM rlstest.items ORDER BY name`, []string{"outage", "pipe", "pothole"}},
		{"an empty scope sees nothing", pg.Scope{}, `SELECT name FROM rlstest.items`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, listNames(t, tt.scope, db, tt.sql), "rows")
		})
	}
}

func TestInTxExposesTheScopeSettings(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	scope := pg.Scope{Tenant: "ETH", Subject: "u9", Roles: []string{"agent", "team_manager"}}
	var tenant, all, subject, roles, role string
	err := pg.InTx(context.Background(), db, scope, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT current_setting('app.tenant'), current_setting('app.all_tenants'),
			current_setting('app.subject'), current_setting('app.roles'), current_user`).Scan(&tenant, &all, &subject, &roles, &role)
	})
	require.NoError(t, err)
	require.Equal(t, []string{"ETH", "off", "u9", "agent,team_manager", pg.AppRole}, []string{tenant, all, subject, roles, role})
}

func TestInTxRefusesWritesForAnotherTenant(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	err := pg.InTx(context.Background(), db, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `INSERT INTO rlstest.items (tenant, name) VALUES ('JHB', 'sneaky')`)
		return err
	})
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	require.Equal(t, "42501", pgErr.Code, "insufficient_privilege from the policy's WITH CHECK")

	err = pg.InTx(context.Background(), db, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `UPDATE rlstest.items SET tenant = 'JHB' WHERE name = 'pipe'`)
		return err
	})
	require.ErrorAs(t, err, &pgErr)
	require.Equal(t, "42501", pgErr.Code)
}

func TestInTxRollsBackOnErrorAndPanic(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	insert := func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO rlstest.items (tenant, name) VALUES ('CPT', 'ghost')`)
		return err
	}
	boom := errors.New("boom")
	err := pg.InTx(ctx, db, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		require.NoError(t, insert(tx))
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Panics(t, func() {
		_ = pg.InTx(ctx, db, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
			require.NoError(t, insert(tx))
			panic("kaboom")
		})
	})
	var n int
	require.NoError(t, db.QueryRow(ctx, `SELECT count(*) FROM rlstest.items WHERE name = 'ghost'`).Scan(&n))
	require.Zero(t, n)
}

func TestInTxRetriesSerializationFailures(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	var calls atomic.Int32
	err := pg.InTx(context.Background(), db, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		if calls.Add(1) < 3 {
			_, err := tx.Exec(context.Background(), `DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$`)
			return err
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, int32(3), calls.Load())

	calls.Store(0)
	err = pg.InTx(context.Background(), db, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		calls.Add(1)
		_, err := tx.Exec(context.Background(), `DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; END $$`)
		return err
	})
	require.Error(t, err)
	require.Equal(t, int32(5), calls.Load(), "gives up after five attempts")
}

func TestErrorHelpersReadSQLState(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	_, err := db.Exec(ctx, `INSERT INTO rlstest.items (tenant, name) VALUES ('CPT', 'pipe')`)
	require.True(t, pg.IsUniqueViolation(err))
	require.Equal(t, "items_tenant_name_key", pg.ConstraintName(err))
	require.False(t, pg.IsCheckViolation(err))

	_, err = db.Exec(ctx, `INSERT INTO rlstest.items (tenant, name) VALUES ('CPT', '')`)
	require.True(t, pg.IsCheckViolation(err))
	require.Equal(t, "items_name_not_blank", pg.ConstraintName(err))

	err = db.QueryRow(ctx, `SELECT name FROM rlstest.items WHERE false`).Scan(new(string))
	require.True(t, pg.IsNoRows(err))
	require.False(t, pg.IsNoRows(errors.New("x")))
	require.Empty(t, pg.ConstraintName(errors.New("x")))
}

func TestAfterCommitRunsOnlyOnceTheTransactionCommitted(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	var ran []string
	attempts := 0
	err := pg.InTx(ctx, db, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		attempts++
		require.True(t, pg.AfterCommit(tx, func() {
			// The change is visible to others when f runs.
			var n int
			require.NoError(t, db.QueryRow(ctx, `SELECT count(*) FROM rlstest.items WHERE name = 'hooked'`).Scan(&n))
			ran = append(ran, fmt.Sprintf("attempt %d saw %d", attempts, n))
		}))
		if _, err := tx.Exec(ctx, `INSERT INTO rlstest.items (tenant, name) VALUES ('CPT', 'hooked')`); err != nil {
			return err
		}
		if attempts == 1 {
			_, err := tx.Exec(ctx, `DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$`)
			return err
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []string{"attempt 2 saw 1"}, ran, "the retried attempt's hook never runs; the committed one's runs once, after the commit")

	err = pg.InTx(ctx, db, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		pg.AfterCommit(tx, func() { ran = append(ran, "rolled back") })
		return errors.New("no")
	})
	require.Error(t, err)
	err = pg.InTx(ctx, db, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		sp, err := tx.Begin(ctx)
		require.NoError(t, err)
		require.False(t, pg.AfterCommit(sp, func() { ran = append(ran, "savepoint") }), "a savepoint cannot hold a hook")
		return sp.Commit(ctx)
	})
	require.NoError(t, err)
	require.Len(t, ran, 1)
}

// deferredNames is the work TestDeferredWorkRunsOnceBeforeTheCommit leaves
// for the end of its transactions.
type deferredNames struct{ names []string }

func TestDeferredWorkRunsOnceBeforeTheCommit(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	flushes := 0
	flush := func(ctx context.Context, tx pgx.Tx, w *deferredNames) error {
		flushes++
		for _, n := range w.names {
			if _, err := tx.Exec(ctx, `INSERT INTO rlstest.items (tenant, name) VALUES ('CPT', $1)`, n); err != nil {
				return err
			}
		}
		return nil
	}
	count := func(name string) (n int) {
		require.NoError(t, db.QueryRow(ctx, `SELECT count(*) FROM rlstest.items WHERE name = $1`, name).Scan(&n))
		return n
	}
	err := pg.InTx(ctx, db, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		for _, n := range []string{"left-1", "left-2"} {
			w, ok := pg.Deferred(tx, "names", flush)
			require.True(t, ok)
			w.names = append(w.names, n)
		}
		var seen int
		require.NoError(t, tx.QueryRow(ctx, `SELECT count(*) FROM rlstest.items WHERE name LIKE 'left-%'`).Scan(&seen))
		require.Zero(t, seen, "the work waits for the end of the transaction")
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, 1, flushes, "one flush for one key, however often it was asked for")
	require.Equal(t, 1, count("left-1"))
	require.Equal(t, 1, count("left-2"))

	// A failing flush fails the transaction and undoes it; a rolled-back
	// transaction's work never goes out.
	err = pg.InTx(ctx, db, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO rlstest.items (tenant, name) VALUES ('CPT', 'before-flush')`); err != nil {
			return err
		}
		w, _ := pg.Deferred(tx, "names", flush)
		w.names = append(w.names, "") // items_name_not_blank refuses it
		return nil
	})
	require.Error(t, err)
	require.True(t, pg.IsCheckViolation(err), "the flush's error is the transaction's: %v", err)
	require.Zero(t, count("before-flush"))
	err = pg.InTx(ctx, db, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		w, _ := pg.Deferred(tx, "names", flush)
		w.names = append(w.names, "rolled-back")
		return errors.New("no")
	})
	require.Error(t, err)
	require.Zero(t, count("rolled-back"))
	flushes = 0
	err = pg.InTx(ctx, db, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		sp, err := tx.Begin(ctx)
		require.NoError(t, err)
		w, ok := pg.Deferred(sp, "names", flush)
		require.False(t, ok, "a savepoint cannot defer work")
		require.Nil(t, w)
		return sp.Commit(ctx)
	})
	require.NoError(t, err)
	require.Zero(t, flushes)
}

func TestInTxReadingReadsInTheScopeBeforeFnAndFailsTheTransactionWithThem(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	scope := pg.Scope{Tenant: "CPT"}

	var names []string
	var sawNames []string
	err := pg.InTxReading(ctx, db, scope, func(b *pgx.Batch) {
		b.Queue(`SELECT name FROM rlstest.items ORDER BY name`).Query(func(rows pgx.Rows) error {
			var err error
			names, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
	}, func(tx pgx.Tx) error {
		sawNames = names
		_, err := tx.Exec(ctx, `INSERT INTO rlstest.items (tenant, name) VALUES ('CPT', 'after-read')`)
		return err
	})
	require.NoError(t, err)
	require.Equal(t, []string{"pipe", "pothole"}, sawNames, "fn starts with the read, confined to the scope's tenant")
	require.Contains(t, listNames(t, scope, db, `SELECT name FROM rlstest.items`), "after-read", "and its writes commit")

	boom := errors.New("boom")
	ran := false
	err = pg.InTxReading(ctx, db, scope, func(b *pgx.Batch) {
		b.Queue(`SELECT 1`).QueryRow(func(pgx.Row) error { return boom })
	}, func(tx pgx.Tx) error {
		ran = true
		return nil
	})
	require.ErrorIs(t, err, boom, "a read's error fails the transaction")
	require.False(t, ran, "and fn does not run")

	err = pg.InTxReading(ctx, db, scope, func(b *pgx.Batch) {
		b.Queue(`SELECT no_such_column FROM rlstest.items`)
	}, func(tx pgx.Tx) error {
		ran = true
		return nil
	})
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr, "a read Postgres refuses fails it too")
	require.False(t, ran)
}
