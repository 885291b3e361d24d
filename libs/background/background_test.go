package background_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/background"
)

func TestEveryRunsItsRoundOnEachTickFromTheStartWhenAskedAndEndsWithItsContext(t *testing.T) {
	t.Parallel()
	for _, atStart := range []bool{true, false} {
		var rounds atomic.Int32
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		// An hour's interval: only the round at the start can run.
		go func() { done <- background.Every(time.Hour, atStart, func(context.Context) { rounds.Add(1) })(ctx) }()
		if atStart {
			require.Eventually(t, func() bool { return rounds.Load() == 1 }, 5*time.Second, time.Millisecond, "a round at the start")
		}
		cancel()
		require.NoError(t, <-done, "the loop ends with its context")
		want := int32(0)
		if atStart {
			want = 1
		}
		require.Equal(t, want, rounds.Load(), "atStart=%v", atStart)
	}

	var rounds atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = background.Every(time.Millisecond, false, func(context.Context) { rounds.Add(1) })(ctx) }()
	require.Eventually(t, func() bool { return rounds.Load() >= 3 }, 5*time.Second, time.Millisecond, "a round on every tick")
}
