package httpapi

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func (s *limiterSet) size() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.buckets)
}

func TestTheBucketMapStaysWithinItsBound(t *testing.T) {
	t.Parallel()
	// 1 request a second, a burst of 2: a bucket is full again after 2 s.
	s := newLimiterSet(1, 2, 100)
	now := time.Unix(1_000_000, 0)
	for i := range 10_000 {
		s.reserve(fmt.Sprintf("addr:10.0.%d.%d", i/256, i%256), now)
		require.LessOrEqual(t, s.size(), 100, "after %d new clients", i+1)
	}
	require.Equal(t, 100, s.size())

	// The clients beyond the bound share one bucket: still limited.
	wait, _ := s.reserve("addr:192.0.2.1", now)
	require.Positive(t, wait, "the overflow bucket's burst is long spent")
	// A client with a bucket of its own keeps it.
	wait, _ = s.reserve("addr:10.0.0.0", now)
	require.Zero(t, wait, "its second request is within its burst of 2")
	wait, _ = s.reserve("addr:10.0.0.0", now)
	require.Positive(t, wait)

	// Once the buckets have been idle long enough to be full again they are
	// forgotten, and new clients get buckets of their own.
	later := now.Add(3 * time.Second)
	wait, _ = s.reserve("addr:192.0.2.2", later)
	require.Zero(t, wait)
	require.Equal(t, 1, s.size(), "the idle buckets were forgotten")
}

func TestABusyBucketIsNotForgotten(t *testing.T) {
	t.Parallel()
	s := newLimiterSet(1, 2, 10)
	now := time.Unix(1_000_000, 0)
	for i := range 3 {
		wait, _ := s.reserve("sub:CPT/alice", now)
		require.Equal(t, i >= 2, wait > 0, "request %d", i)
	}
	// Alice keeps asking every half second while others come and go and
	// sweeps run.
	for i := range 10 {
		now = now.Add(500 * time.Millisecond)
		s.reserve(fmt.Sprintf("addr:10.0.0.%d", i), now)
		s.reserve("sub:CPT/alice", now)
	}
	_, ok := s.buckets["sub:CPT/alice"]
	require.True(t, ok, "a client in use keeps its bucket")
	wait, _ := s.reserve("sub:CPT/alice", now)
	require.Positive(t, wait, "and stays limited")
}
