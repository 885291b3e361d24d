package server_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/salga/trustengine/libs/server"
)

// fakeQueue records what Run does to a queue, and in which order.
type fakeQueue struct {
	mu       sync.Mutex
	events   []string
	startErr error
	stopCtx  context.Context
}

func (q *fakeQueue) log(e string) { q.mu.Lock(); q.events = append(q.events, e); q.mu.Unlock() }
func (q *fakeQueue) seen() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]string(nil), q.events...)
}
func (q *fakeQueue) RegisterMetrics(prometheus.Registerer) error { q.log("metrics"); return nil }
func (q *fakeQueue) Start(context.Context) error                 { q.log("start"); return q.startErr }
func (q *fakeQueue) Stop(ctx context.Context) error {
	q.mu.Lock()
	q.stopCtx = ctx
	q.mu.Unlock()
	q.log("stop")
	return nil
}

func TestRunStartsTheQueueAfterListeningAndStopsItWithinTheShutdownTimeout(t *testing.T) {
	t.Parallel()
	q := &fakeQueue{}
	var looped sync.WaitGroup
	looped.Add(1)
	srv := server.New(server.Options{Name: "test", GRPCAddr: "127.0.0.1:0", Queue: q, ShutdownTimeout: 3 * time.Second,
		Background: []func(context.Context) error{func(ctx context.Context) error {
			q.log("loop")
			<-ctx.Done()
			looped.Done()
			return ctx.Err()
		}}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	require.NoError(t, srv.Listen(ctx))
	go func() { done <- srv.Run(ctx) }()

	conn, err := grpc.NewClient(srv.GRPCAddr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	require.Eventually(t, func() bool {
		resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
		return err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING
	}, 5*time.Second, 10*time.Millisecond)
	require.Eventually(t, func() bool { return len(q.seen()) == 3 }, 5*time.Second, 10*time.Millisecond)
	require.Equal(t, []string{"metrics", "start", "loop"}, q.seen(), "the queue starts before serving, the loops while serving")

	cancel()
	require.NoError(t, <-done, "a clean shutdown")
	looped.Wait()
	require.Equal(t, "stop", q.seen()[3])
	deadline, ok := q.stopCtx.Deadline()
	require.True(t, ok, "the queue stops within the shutdown timeout")
	require.WithinDuration(t, time.Now().Add(3*time.Second), deadline, 3*time.Second)
}

func TestRunFailsWhenTheQueueCannotStartOrALoopFails(t *testing.T) {
	t.Parallel()
	q := &fakeQueue{startErr: errors.New("no database")}
	err := server.New(server.Options{Name: "test", GRPCAddr: "127.0.0.1:0", Queue: q}).Run(context.Background())
	require.ErrorContains(t, err, "no database")
	require.Equal(t, []string{"metrics", "start"}, q.seen(), "a queue that did not start is not stopped")

	err = server.New(server.Options{Name: "test", GRPCAddr: "127.0.0.1:0", ShutdownTimeout: time.Second,
		Background: []func(context.Context) error{func(context.Context) error { return errors.New("sweep broke") }}}).Run(context.Background())
	require.ErrorContains(t, err, "sweep broke")
}
