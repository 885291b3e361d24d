package queue

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"
)

func TestBackoffDoublesUpToTheCapWithJitter(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{Min: 250 * time.Millisecond, Max: 30 * time.Second}
	cases := []struct {
		attempt int
		want    time.Duration
	}{{1, 250 * time.Millisecond}, {2, 500 * time.Millisecond}, {3, time.Second}, {8, 30 * time.Second}, {500, 30 * time.Second}}
	for _, tc := range cases {
		for range 50 {
			got := p.backoff(tc.attempt)
			require.LessOrEqual(t, got, tc.want, "attempt %d", tc.attempt)
			require.GreaterOrEqual(t, got, tc.want*4/5, "attempt %d", tc.attempt)
		}
	}
}

func TestConfigureKeepsWhatTheCallerSet(t *testing.T) {
	t.Parallel()
	cfg := Configure(&river.Config{JobTimeout: time.Minute})
	require.Equal(t, time.Minute, cfg.JobTimeout)
	require.Equal(t, 90*time.Second, cfg.RescueStuckJobsAfter, "rescue comes after the timeout")
	require.Equal(t, MaxAttempts, cfg.MaxAttempts)
	require.NotNil(t, cfg.RetryPolicy)
}
