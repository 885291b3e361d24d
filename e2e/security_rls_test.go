package e2e

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"
)

// rlsTables lists every table of the service schemas that has row-level
// security and a tenant column.
func (s *suite) rlsTables(t *testing.T) []string {
	t.Helper()
	rows, err := s.db.Query(context.Background(), `SELECT n.nspname || '.' || c.relname FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant' AND NOT a.attisdropped
		WHERE n.nspname IN ('ticket', 'routing', 'sla', 'notify') AND c.relkind = 'r' AND c.relrowsecurity ORDER BY 1`)
	require.NoError(t, err)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return tables
}

// asTenantTST runs fn in a transaction set up as pg.InTx sets one up for a
// SAPS liaison of TST (so GBV rows count too), and always rolls it back.
func (s *suite) asTenantTST(t *testing.T, roles string, fn func(tx pgx.Tx)) {
	t.Helper()
	ctx := context.Background()
	tx, err := s.db.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, `SET LOCAL ROLE trustengine_app`)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `SELECT set_config('app.tenant', 'TST', true), set_config('app.all_tenants', 'off', true),
		set_config('app.subject', 'mallory', true), set_config('app.roles', $1, true)`, roles)
	require.NoError(t, err)
	fn(tx)
}

// statement runs one statement under a savepoint of tx and returns the rows
// it touched, or -1 when Postgres refused it (privilege, row-level security
// or an append-only trigger).
func statement(t *testing.T, tx pgx.Tx, sql string) int {
	t.Helper()
	ctx := context.Background()
	sp, err := tx.Begin(ctx)
	require.NoError(t, err)
	tag, err := sp.Exec(ctx, sql)
	if err != nil {
		var pgErr *pgconn.PgError
		require.True(t, errors.As(err, &pgErr), "%s: %v", sql, err)
		require.NoError(t, sp.Rollback(ctx))
		return -1
	}
	require.NoError(t, sp.Commit(ctx))
	return int(tag.RowsAffected())
}

func TestRowLevelSecurityRefusesAQueryThatForgetsItsTenantFilter(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{extraEnv: hostileEnv})
	newWorld(t, s)
	ctx := context.Background()
	tables := s.rlsTables(t)
	for _, want := range []string{"ticket.tickets", "ticket.history", "ticket.notes", "routing.teams", "routing.assignments", "sla.clocks",
		"notify.tickets", "notify.events", "notify.messages", "notify.reporters"} {
		require.Contains(t, tables, want)
	}
	before := s.snapshot(t)
	var ty tally
	otherRows := 0
	for _, tbl := range tables {
		var own, other int
		require.NoError(t, s.db.QueryRow(ctx, `SELECT count(*) FILTER (WHERE tenant = 'TST'), count(*) FILTER (WHERE tenant <> 'TST') FROM `+tbl).Scan(&own, &other))
		otherRows += other
		s.asTenantTST(t, "saps_liaison", func(tx pgx.Tx) {
			var seen, foreign int
			require.NoError(t, tx.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE tenant <> 'TST') FROM `+tbl).Scan(&seen, &foreign))
			ty.refused(t, "SELECT without a tenant filter on "+tbl+" showing OTH rows", foreign == 0)
			require.Equal(t, own, seen, "%s: SELECT without a tenant filter", tbl)
			for _, sql := range []string{`UPDATE ` + tbl + ` SET tenant = tenant`, `DELETE FROM ` + tbl} {
				ty.refused(t, sql+" touching OTH rows", statement(t, tx, sql) <= own)
			}
			// Zero rows is a refusal too: an append-only trigger may skip them.
			ty.refused(t, "moving "+tbl+" rows to OTH", statement(t, tx, `UPDATE `+tbl+` SET tenant = 'OTH'`) <= 0)
		})
	}
	require.Positive(t, otherRows, "OTH has rows the policies could have leaked")

	// An agent of the tenant does not see GBV rows even without a filter.
	s.asTenantTST(t, "agent", func(tx pgx.Tx) {
		var gbv int
		require.NoError(t, tx.QueryRow(ctx, `SELECT count(*) FROM ticket.tickets WHERE category = 'gbv'`).Scan(&gbv))
		ty.refused(t, "an agent's unfiltered SELECT of GBV tickets", gbv == 0)
		require.NoError(t, tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM notify.tickets WHERE gbv) + (SELECT count(*) FROM notify.reporters WHERE gbv)
			+ (SELECT count(*) FROM notify.events WHERE gbv) + (SELECT count(*) FROM notify.messages WHERE gbv)`).Scan(&gbv))
		ty.refused(t, "an agent's unfiltered SELECT of notify's GBV rows", gbv == 0)
	})

	changed := changedTables(before, s.snapshot(t))
	line := ty.report(t, "row-level security", len(changed))
	require.Empty(t, changed, line)
	require.Zero(t, ty.accepted, line)
}
