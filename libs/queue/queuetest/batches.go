package queuetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// SlowBatches stands in for a peer's batch call that takes a while (100
// ms), so the deliveries that arrive meanwhile wait for the next batch. It
// records the size of every batch, how often each item arrived and how
// many came one at a time. A service's test wraps it in its peer's batch
// and single calls (Batch and One); Key names an item and Tenant gives the
// tenant it belongs to.
type SlowBatches[T any] struct {
	Key, Tenant func(T) string

	mu      sync.Mutex
	batches []int
	got     map[string]int
	alone   int
}

// Batch records one batch call for tenant, refusing it when it carries an
// item of another tenant.
func (s *SlowBatches[T]) Batch(tenant string, items []T) error {
	time.Sleep(100 * time.Millisecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.got == nil {
		s.got = map[string]int{}
	}
	s.batches = append(s.batches, len(items))
	for _, it := range items {
		if s.Tenant(it) != tenant {
			return fmt.Errorf("a batch of %s carried a job of %s", tenant, s.Tenant(it))
		}
		s.got[s.Key(it)]++
	}
	return nil
}

// One records a delivery that came on its own.
func (s *SlowBatches[T]) One(T) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.alone++
	return nil
}

// RequireBatched checks that n distinct items arrived, each once, none on
// its own, in fewer than n/4 batches.
func (s *SlowBatches[T]) RequireBatched(t testing.TB, n int) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	require.Len(t, s.got, n, "every item was delivered")
	for key, times := range s.got {
		require.Equal(t, 1, times, "item %s delivered once", key)
	}
	require.Zero(t, s.alone, "no item was delivered on its own")
	require.Less(t, len(s.batches), n/4, "the jobs went in a few batches: %v", s.batches)
}
