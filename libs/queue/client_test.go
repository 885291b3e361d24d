package queue_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
)

// pingArgs is a job of the peer queue "peer".
type pingArgs struct {
	N int `json:"n"`
}

func (pingArgs) Kind() string                 { return "test.ping" }
func (pingArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: "peer"} }
func (greedyArgs) Kind() string               { return "test.greedy" }
func (greedyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: "peer", MaxAttempts: 3}
}

// greedyArgs asks for its own retry budget, which the queue refuses.
type greedyArgs struct{}

// pingWorker fails each job's first attempt, so the retry policy runs too.
type pingWorker struct {
	river.WorkerDefaults[pingArgs]
	mu   sync.Mutex
	seen map[int]int
}

func (w *pingWorker) Work(_ context.Context, job *river.Job[pingArgs]) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seen[job.Args.N]++
	if w.seen[job.Args.N] == 1 {
		return errors.New("peer down")
	}
	return nil
}

func (w *pingWorker) delivered() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, tries := range w.seen {
		if tries > 1 {
			n++
		}
	}
	return n
}

func newQueueDB(t *testing.T) *pgxpool.Pool {
	return pgtest.NewDB(t, "queue_client", func(ctx context.Context, pool *pgxpool.Pool) error {
		if err := pg.EnsureAppRole(ctx, pool); err != nil {
			return err
		}
		if _, err := pool.Exec(ctx, `CREATE SCHEMA svc`); err != nil {
			return err
		}
		return queue.Migrate(ctx, pool, "svc")
	})
}

func TestAClientWithQueuesDeliversCommittedJobsAndStops(t *testing.T) {
	t.Parallel()
	pool := newQueueDB(t)
	w := &pingWorker{seen: map[int]int{}}
	c, err := queue.New(queue.Options{Pool: pool, Schema: "svc", Queues: []queue.Queue{{Name: "peer", Workers: []queue.Worker{queue.Work(w)}}}})
	require.NoError(t, err)
	ctx := context.Background()
	scope := pg.Scope{Tenant: "CPT"}
	err = pg.InTx(ctx, pool, scope, func(tx pgx.Tx) error {
		require.NoError(t, c.InsertTx(ctx, tx, pingArgs{N: 0}))
		return context.Canceled
	})
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, pg.InTx(ctx, pool, scope, func(tx pgx.Tx) error {
		return c.InsertTx(ctx, tx, pingArgs{N: 1}, pingArgs{N: 2})
	}))
	err = pg.InTx(ctx, pool, scope, func(tx pgx.Tx) error { return c.InsertTx(ctx, tx, greedyArgs{}) })
	require.ErrorContains(t, err, "may not set its own MaxAttempts")

	runCtx, cancel := context.WithCancel(ctx)
	require.NoError(t, c.Start(runCtx))
	cancel() // the workers outlive the context they were started with
	require.Eventually(t, func() bool { return w.delivered() == 2 }, 30*time.Second, 20*time.Millisecond)
	stopCtx, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	require.NoError(t, c.Stop(stopCtx))
	require.NoError(t, c.Stop(stopCtx), "stopping twice is harmless")
	var rolledBack int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM svc.river_job WHERE args->>'n' = '0'`).Scan(&rolledBack))
	require.Zero(t, rolledBack, "a rolled-back change leaves no job")
}

func TestAnInsertOnlyClientLeavesItsJobsWaiting(t *testing.T) {
	t.Parallel()
	pool := newQueueDB(t)
	c, err := queue.New(queue.Options{Pool: pool, Schema: "svc"})
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, c.Start(ctx), "an insert-only client has nothing to start")
	require.NoError(t, pg.InTx(ctx, pool, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error { return c.InsertTx(ctx, tx, pingArgs{N: 7}) }))
	var state string
	var attempts int
	require.NoError(t, pool.QueryRow(ctx, `SELECT state::text, max_attempts FROM svc.river_job`).Scan(&state, &attempts))
	require.Equal(t, "available", state)
	require.Equal(t, queue.MaxAttempts, attempts, "every job retries under the queue's policy")
	require.NoError(t, c.Stop(ctx))
}

func TestARestartedReplicaTakesBackAtOnceWhatItsKilledRunLeftRunning(t *testing.T) {
	t.Parallel()
	pool := newQueueDB(t)
	ctx := context.Background()
	inserter, err := queue.New(queue.Options{Pool: pool, Schema: "svc"})
	require.NoError(t, err)
	require.NoError(t, pg.InTx(ctx, pool, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		return inserter.InsertTx(ctx, tx, pingArgs{N: 1}, pingArgs{N: 2})
	}))
	// Runs that died holding a job each: one of this replica, one of another.
	for n, by := range map[int]string{1: "host-a/svc:9101@1a2b", 2: "host-b/svc:9101@3c4d"} {
		_, err := pool.Exec(ctx, `UPDATE svc.river_job SET state = 'running', attempt = 1, attempted_at = now(),
			attempted_by = ARRAY['host-a/svc:9101@0000', $2] WHERE args->>'n' = $1`, strconv.Itoa(n), by)
		require.NoError(t, err)
	}

	w := &pingWorker{seen: map[int]int{}}
	c, err := queue.New(queue.Options{Pool: pool, Schema: "svc", Replica: "host-a/svc:9101",
		Queues: []queue.Queue{{Name: "peer", Workers: []queue.Worker{queue.Work(w)}}}})
	require.NoError(t, err)
	require.NoError(t, c.Start(ctx))
	defer func() { require.NoError(t, c.Stop(ctx)) }()
	// Long before River's rescue (RescueAfter) would bring it back.
	require.Eventually(t, func() bool { return w.delivered() == 1 }, 10*time.Second, 20*time.Millisecond)
	w.mu.Lock()
	require.Zero(t, w.seen[2], "another replica's job is that replica's until the rescue")
	w.mu.Unlock()
	var state string
	require.NoError(t, pool.QueryRow(ctx, `SELECT state::text FROM svc.river_job WHERE args->>'n' = '2'`).Scan(&state))
	require.Equal(t, "running", state)
}
