package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
	"github.com/salga/trustengine/services/sla/migrations"
)

// TestFoldingReportDeltasKeepsEveryCellsSumAndFoldsEachDeltaOnce records
// deltas of two tenants' cells (a tenant's job cannot write another's),
// folds them while another fold holds the lock (it folds nothing), then
// folds in batches smaller than the deltas, and checks that each cell of
// the three tables holds exactly the sum of its deltas, none left.
func TestFoldingReportDeltasKeepsEveryCellsSumAndFoldsEachDeltaOnce(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "sla_fold", func(ctx context.Context, p *pgxpool.Pool) error {
		return pg.Prepare(ctx, p, "sla", migrations.FS)
	})
	ctx := t.Context()
	day := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	delta := func(tenant string, d time.Time, team string, tickets int64) domain.Delta {
		return domain.Delta{Key: domain.DailyKey{Tenant: tenant, Day: d, Category: "water", WardCode: "W1", TeamID: team, Priority: "normal"},
			Counts: domain.DailyCounts{Tickets: tickets, Open: tickets, ResponseWallUS: 10 * tickets}}
	}
	for i := range 10 {
		for _, tenant := range []string{"CPT", "JHB"} {
			ds := []domain.Delta{delta(tenant, day, "A", 1), delta(tenant, day.AddDate(0, 0, 1), "B", 2)}
			if i == 9 {
				ds = append(ds, delta(tenant, day, "A", -1)) // a ticket moved out again
			}
			require.NoError(t, pg.InTx(ctx, pool, serviceJob(tenant).Scope(), func(tx pgx.Tx) error {
				return store.ApplyDeltas(ctx, tx, ds)
			}))
		}
	}
	err := pg.InTx(ctx, pool, serviceJob("CPT").Scope(), func(tx pgx.Tx) error {
		return store.ApplyDeltas(ctx, tx, []domain.Delta{delta("JHB", day, "A", 100)})
	})
	require.Error(t, err, "row-level security keeps a job to its tenant's cells")

	system := access.System("fold-test").Scope()
	fold := func(limit int) (n int) {
		require.NoError(t, pg.InTx(ctx, pool, system, func(tx pgx.Tx) (err error) {
			n, err = store.FoldReportDeltas(ctx, tx, limit)
			return err
		}))
		return n
	}
	// Another fold in progress: this one leaves the work to it.
	holder, err := pool.Begin(ctx)
	require.NoError(t, err)
	_, err = holder.Exec(ctx, `SELECT pg_advisory_xact_lock(x'736c6166'::int)`)
	require.NoError(t, err)
	require.Zero(t, fold(1000))
	require.NoError(t, holder.Rollback(ctx))

	total := 0
	for {
		n := fold(7)
		total += n
		if n < 7 {
			break
		}
	}
	require.Equal(t, 42, total, "every delta folded once")
	count := func(sql string) (n int64) {
		require.NoError(t, pg.InTx(ctx, pool, system, func(tx pgx.Tx) error { return tx.QueryRow(ctx, sql).Scan(&n) }))
		return n
	}
	require.Zero(t, count(`SELECT count(*) FROM sla.report_deltas`))
	for _, tenant := range []string{"'CPT'", "'JHB'"} {
		require.EqualValues(t, 9, count(`SELECT tickets FROM sla.report_daily WHERE team_id = 'A' AND tenant = `+tenant))
		require.EqualValues(t, 90, count(`SELECT response_wall_us FROM sla.report_daily WHERE team_id = 'A' AND tenant = `+tenant))
		require.EqualValues(t, 20, count(`SELECT tickets FROM sla.report_daily WHERE team_id = 'B' AND tenant = `+tenant))
		require.EqualValues(t, 9, count(`SELECT tickets FROM sla.report_monthly WHERE day = '2026-09-01' AND tenant = `+tenant))
		require.EqualValues(t, 20, count(`SELECT tickets FROM sla.report_monthly WHERE day = '2026-10-01' AND tenant = `+tenant))
		require.EqualValues(t, 9, count(`SELECT tickets FROM sla.report_daily_totals WHERE day = '2026-09-30' AND tenant = `+tenant))
		require.EqualValues(t, 20, count(`SELECT open FROM sla.report_daily_totals WHERE day = '2026-10-01' AND tenant = `+tenant))
	}
	require.EqualValues(t, 4, count(`SELECT count(*) FROM sla.report_daily`), "one cell per key")
}
