package queue_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/queue"
)

// traceArgs is a job whose worker records the trace it runs in.
type traceArgs struct {
	N int `json:"n"`
}

func (traceArgs) Kind() string                 { return "test.trace" }
func (traceArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: "peer"} }

type traceWorker struct {
	river.WorkerDefaults[traceArgs]
	mu     sync.Mutex
	traces map[int]string
}

func (w *traceWorker) Work(ctx context.Context, job *river.Job[traceArgs]) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.traces[job.Args.N] = trace.SpanContextFromContext(ctx).TraceID().String()
	return nil
}

func (w *traceWorker) seen() map[int]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[int]string{}
	for k, v := range w.traces {
		out[k] = v
	}
	return out
}

func TestAJobContinuesTheTraceOfTheRequestThatInsertedIt(t *testing.T) {
	t.Parallel()
	otel.SetTextMapPropagator(propagation.TraceContext{})
	pool := newQueueDB(t)
	w := &traceWorker{traces: map[int]string{}}
	c, err := queue.New(queue.Options{Pool: pool, Schema: "svc", Queues: []queue.Queue{{Name: "peer", Workers: []queue.Worker{queue.Work(w)}}}})
	require.NoError(t, err)
	tid, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	sid, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	traced := trace.ContextWithSpanContext(context.Background(),
		trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled}))
	ctx := context.Background()
	scope := pg.Scope{Tenant: "CPT"}
	require.NoError(t, pg.InTx(traced, pool, scope, func(tx pgx.Tx) error { return c.InsertTx(traced, tx, traceArgs{N: 1}) }))
	require.NoError(t, pg.InTx(ctx, pool, scope, func(tx pgx.Tx) error { return c.InsertTx(ctx, tx, traceArgs{N: 2}) }))

	require.NoError(t, c.Start(ctx))
	require.Eventually(t, func() bool { return len(w.seen()) == 2 }, 30*time.Second, 20*time.Millisecond)
	stopCtx, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	require.NoError(t, c.Stop(stopCtx))
	got := w.seen()
	require.Equal(t, tid.String(), got[1], "the job inserted inside a trace is worked inside it")
	require.Equal(t, trace.TraceID{}.String(), got[2], "a job inserted outside any trace starts none while tracing is off")
	var meta string
	require.NoError(t, pool.QueryRow(ctx, `SELECT metadata->'trace'->>'traceparent' FROM svc.river_job WHERE args->>'n' = '1'`).Scan(&meta))
	require.Equal(t, "00-"+tid.String()+"-"+sid.String()+"-01", meta, "the trace context travels in the job's metadata")
}
