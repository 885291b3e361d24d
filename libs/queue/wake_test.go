package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/queue"
)

// wakeArgs is a job of queue "peer" that succeeds; otherArgs goes to
// queue "other".
type (
	wakeArgs  struct{ N int }
	otherArgs struct{}
)

func (wakeArgs) Kind() string                  { return "test.wake" }
func (wakeArgs) InsertOpts() river.InsertOpts  { return river.InsertOpts{Queue: "peer"} }
func (otherArgs) Kind() string                 { return "test.other" }
func (otherArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: "other"} }

type wakeWorker struct {
	river.WorkerDefaults[wakeArgs]
	done chan int
}

func (w *wakeWorker) Work(_ context.Context, job *river.Job[wakeArgs]) error {
	w.done <- job.Args.N
	return nil
}

func TestACommitWakesTheWorkersOfAnotherProcessBeforeTheirPoll(t *testing.T) {
	t.Parallel()
	pool := newQueueDB(t)
	ctx := context.Background()
	scope := pg.Scope{Tenant: "CPT"}
	w := &wakeWorker{done: make(chan int, 2)}
	// The worker polls every SlowPollInterval (5 s): only a wake-up
	// brings it a job sooner.
	worker, err := queue.New(queue.Options{Pool: pool, Schema: "svc",
		Queues: []queue.Queue{{Name: "peer", Unhurried: true, Workers: []queue.Worker{queue.Work(w)}}}})
	require.NoError(t, err)
	inserter, err := queue.New(queue.Options{Pool: pool, Schema: "svc"})
	require.NoError(t, err)

	require.NoError(t, pg.InTx(ctx, pool, scope, func(tx pgx.Tx) error { return inserter.InsertTx(ctx, tx, wakeArgs{N: 1}) }))
	require.NoError(t, worker.Start(ctx))
	t.Cleanup(func() { _ = worker.Stop(context.Background()) })
	select {
	case n := <-w.done:
		require.Equal(t, 1, n, "the job waiting at the start is found by the first fetch")
	case <-time.After(30 * time.Second):
		t.Fatal("the waiting job was not worked")
	}

	listener, err := pool.Acquire(ctx)
	require.NoError(t, err)
	defer listener.Release()
	_, err = listener.Exec(ctx, `LISTEN "svc.river_insert"`)
	require.NoError(t, err)

	err = pg.InTx(ctx, pool, scope, func(tx pgx.Tx) error {
		require.NoError(t, inserter.InsertTx(ctx, tx, otherArgs{}))
		return context.Canceled
	})
	require.ErrorIs(t, err, context.Canceled)
	start := time.Now()
	require.NoError(t, pg.InTx(ctx, pool, scope, func(tx pgx.Tx) error { return inserter.InsertTx(ctx, tx, wakeArgs{N: 2}) }))
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	note, err := listener.Conn().WaitForNotification(wctx)
	require.NoError(t, err)
	require.JSONEq(t, `{"queue": "peer"}`, note.Payload, "the rolled-back insert woke nobody; the committed one woke its queue")
	select {
	case n := <-w.done:
		require.Equal(t, 2, n)
		require.Less(t, time.Since(start), 4*time.Second, "worked on the wake-up, not on the 5 s poll")
	case <-time.After(30 * time.Second):
		t.Fatal("the woken job was not worked")
	}
}

func TestTheJobsOfOneTransactionGoInTogetherAtItsCommit(t *testing.T) {
	t.Parallel()
	pool := newQueueDB(t)
	ctx := context.Background()
	inserter, err := queue.New(queue.Options{Pool: pool, Schema: "svc"})
	require.NoError(t, err)
	count := func(q interface {
		QueryRow(context.Context, string, ...any) pgx.Row
	}) (n int) {
		require.NoError(t, q.QueryRow(ctx, `SELECT count(*) FROM svc.river_job WHERE kind = 'test.wake'`).Scan(&n))
		return n
	}
	err = pg.InTx(ctx, pool, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		for i := range 3 {
			require.NoError(t, inserter.InsertTx(ctx, tx, wakeArgs{N: i}))
		}
		require.Zero(t, count(tx), "the jobs wait for the commit")
		// Jobs inserted in a savepoint go in at once, and with it.
		sp, err := tx.Begin(ctx)
		require.NoError(t, err)
		require.NoError(t, inserter.InsertTx(ctx, sp, wakeArgs{N: 9}))
		require.Equal(t, 1, count(sp))
		require.NoError(t, sp.Rollback(ctx))
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, 3, count(pool), "the three jobs recorded before the commit, not the rolled-back savepoint's")
	rows, err := pool.Query(ctx, `SELECT (args->>'N')::int FROM svc.river_job WHERE kind = 'test.wake' ORDER BY id`)
	require.NoError(t, err)
	ns, err := pgx.CollectRows(rows, pgx.RowTo[int])
	require.NoError(t, err)
	require.Equal(t, []int{0, 1, 2}, ns, "in the order they were recorded")

	// A transaction that fails leaves none.
	err = pg.InTx(ctx, pool, pg.Scope{Tenant: "CPT"}, func(tx pgx.Tx) error {
		require.NoError(t, inserter.InsertTx(ctx, tx, wakeArgs{N: 5}))
		return context.Canceled
	})
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, 3, count(pool))
}
