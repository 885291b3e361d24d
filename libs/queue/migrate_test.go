package queue_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestMigrateLetsTheAppRoleUseRiverTablesOnly(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "queue", func(ctx context.Context, pool *pgxpool.Pool) error {
		_, err := pool.Exec(ctx, `CREATE SCHEMA svc; CREATE TABLE svc.history (id int); GRANT USAGE ON SCHEMA svc TO `+pg.AppRole+`;
			GRANT SELECT, INSERT ON svc.history TO `+pg.AppRole)
		return err
	})
	ctx := context.Background()
	// Replicas starting together migrate once, one after the other.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- queue.Migrate(ctx, pool, "svc") }()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	err := pg.InTx(ctx, pool, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO svc.river_job (args, kind, max_attempts, queue, state) VALUES ('{}', 'k', 1, 'default', 'available')`)
		return err
	})
	require.NoError(t, err, "the app role inserts jobs")
	err = pg.InTx(ctx, pool, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM svc.history`)
		return err
	})
	require.Error(t, err, "the service's own grants are left as they were")

	var gin []string
	rows, err := pool.Query(ctx, `SELECT indexname FROM pg_indexes WHERE schemaname = 'svc' AND tablename = 'river_job'
		AND indexdef LIKE '%USING gin%'`)
	require.NoError(t, err)
	gin, err = pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Empty(t, gin, "no job is indexed by its contents")
	require.NoError(t, queue.Migrate(ctx, pool, "svc"), "migrating again finds them gone")
}
