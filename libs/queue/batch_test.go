package queue_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/queue"
)

// recorder is a consumer that records each batch it is sent and holds the
// first one until release is closed, so deliveries pile up behind it.
type recorder struct {
	mu      sync.Mutex
	batches [][]int
	alone   []int
	release chan struct{}
	refuse  int
}

func (r *recorder) many(_ context.Context, key string, items []int) error {
	r.mu.Lock()
	first := len(r.batches) == 0
	r.batches = append(r.batches, append([]int(nil), items...))
	r.mu.Unlock()
	if first {
		<-r.release
	}
	for _, it := range items {
		if it == r.refuse {
			return fmt.Errorf("%s: %d refused", key, it)
		}
	}
	return nil
}

func (r *recorder) one(_ context.Context, item int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.alone = append(r.alone, item)
	if item == r.refuse {
		return errors.New("refused alone")
	}
	return nil
}

// deliver runs n deliveries of key at once, after the first is in flight,
// and returns each one's outcome.
func deliver(t *testing.T, b *queue.Batcher[int], r *recorder, key string, n int) map[int]error {
	t.Helper()
	var (
		mu   sync.Mutex
		out  = map[int]error{}
		wg   sync.WaitGroup
		done = func(i int, err error) { mu.Lock(); out[i] = err; mu.Unlock(); wg.Done() }
	)
	wg.Add(n)
	go func() { done(0, b.Do(context.Background(), key, 0)) }()
	require.Eventually(t, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return len(r.batches) == 1 }, 5*time.Second, time.Millisecond)
	for i := 1; i < n; i++ {
		go func() { done(i, b.Do(context.Background(), key, i)) }()
	}
	time.Sleep(50 * time.Millisecond) // let them queue behind the first batch
	close(r.release)
	wg.Wait()
	return out
}

func TestBatcherSendsWhatWaitedInOneCall(t *testing.T) {
	t.Parallel()
	r := &recorder{release: make(chan struct{}), refuse: -1}
	b := queue.NewBatcher(10, 1, r.many, r.one)
	out := deliver(t, b, r, "CPT", 21)
	for i, err := range out {
		require.NoError(t, err, "item %d", i)
	}
	require.Len(t, out, 21)
	// The first goes alone; the twenty that waited go in two full batches.
	require.Equal(t, []int{0}, r.batches[0])
	require.Len(t, r.batches, 3, "%v", r.batches)
	require.Len(t, r.batches[1], 10)
	require.Len(t, r.batches[2], 10)
	seen := map[int]bool{}
	for _, bt := range r.batches {
		for _, it := range bt {
			require.False(t, seen[it], "item %d sent twice", it)
			seen[it] = true
		}
	}
	require.Empty(t, r.alone)
}

func TestBatcherDeliversTheMembersOfAFailedBatchAlone(t *testing.T) {
	t.Parallel()
	r := &recorder{release: make(chan struct{}), refuse: 3}
	b := queue.NewBatcher(10, 1, r.many, r.one)
	out := deliver(t, b, r, "CPT", 6)
	require.NoError(t, out[0])
	require.EqualError(t, out[3], "refused alone", "the refused item fails its own job")
	for _, i := range []int{1, 2, 4, 5} {
		require.NoError(t, out[i], "item %d is delivered alone after its batch failed", i)
	}
	require.ElementsMatch(t, []int{1, 2, 3, 4, 5}, r.alone)
}

func TestBatcherKeepsKeysApart(t *testing.T) {
	t.Parallel()
	r := &recorder{release: make(chan struct{}), refuse: -1}
	b := queue.NewBatcher(10, 1, r.many, r.one)
	// CPT's first batch is held; JHB's delivery does not wait for it.
	go func() { _ = b.Do(context.Background(), "CPT", 0) }()
	require.Eventually(t, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return len(r.batches) == 1 }, 5*time.Second, time.Millisecond)
	require.NoError(t, b.Do(context.Background(), "JHB", 7))
	close(r.release)
	require.Equal(t, []int{7}, r.batches[1])
}

func TestBatcherReturnsWhenTheWaitingDeliveryIsCancelled(t *testing.T) {
	t.Parallel()
	r := &recorder{release: make(chan struct{}), refuse: -1}
	b := queue.NewBatcher(10, 1, r.many, r.one)
	go func() { _ = b.Do(context.Background(), "CPT", 0) }()
	require.Eventually(t, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return len(r.batches) == 1 }, 5*time.Second, time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, b.Do(ctx, "CPT", 1), context.DeadlineExceeded)
	close(r.release)
	require.NoError(t, b.Do(context.Background(), "CPT", 2))
	r.mu.Lock()
	defer r.mu.Unlock()
	require.Equal(t, [][]int{{0}, {2}}, r.batches, "the cancelled delivery was never sent")
}
