package e2e

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// loadRun runs op n times from clients concurrent goroutines and returns how
// long all took and each call's latency. The first error stops the load.
func loadRun(n, clients int, op func(i int) error) (time.Duration, []time.Duration, error) {
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t0 := time.Now()
				if err := op(i); err != nil {
					once.Do(func() { firstErr = fmt.Errorf("call %d: %w", i, err) })
					next.Store(int64(n)) // stop the other clients
					return
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	return time.Since(start), lat, firstErr
}

// widePool opens a second pool on the suite's database with room for
// conns concurrent clients (the harness's pool is sized for assertions).
func (s *suite) widePool(conns int32) *pgxpool.Pool {
	s.t.Helper()
	cfg := s.db.Config()
	cfg.MaxConns = conns
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		s.t.Fatalf("pgxpool.NewWithConfig: %v", err)
	}
	s.t.Cleanup(pool.Close)
	return pool
}

// waitDelivered waits until every ticket of tenant shows a team and both SLA
// deadlines, that is routing and SLA have answered and the answers were
// mirrored back onto the ticket, and returns when that happened (to the
// 250 ms it polls at). Call it once the creates have returned. Each poll
// looks only at the tickets from the oldest one the poll before found
// waiting, so that measuring the drain costs the database little while it
// drains.
func (s *suite) waitDelivered(tenant string, timeout time.Duration) time.Time {
	s.t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(timeout)
	var since time.Time
	for {
		var oldest *time.Time
		var pending int
		err := s.db.QueryRow(ctx, `SELECT min(create_time), count(*) FROM ticket.tickets
			WHERE tenant = $1 AND create_time >= $2
				AND (assigned_team_id = '' OR response_deadline IS NULL OR resolution_deadline IS NULL)`,
			tenant, since).Scan(&oldest, &pending)
		if err != nil {
			s.t.Fatalf("tickets of %s routed and clocked: %v", tenant, err)
		}
		if oldest == nil {
			return time.Now()
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("tickets of %s routed and clocked: %d still pending after %s", tenant, pending, timeout)
		}
		since = *oldest
		time.Sleep(250 * time.Millisecond)
	}
}
