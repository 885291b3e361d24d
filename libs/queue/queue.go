// Package queue holds the settings and metrics every service applies to its
// River client, the durable job queue that carries effects between services.
//
// Each producer inserts a job in the same transaction as the change that
// causes it, so accepted work cannot be lost; a worker then delivers it over
// gRPC to an idempotent consumer. These settings make delivery keep trying
// through long outages without letting the backoff grow so large that a
// short outage leaves work waiting for minutes, and make jobs whose worker
// died mid-call (SIGKILL, a lost node) run again within seconds instead of
// River's default hour.
package queue

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

const (
	// JobTimeout bounds one delivery attempt; a gRPC call to a healthy peer
	// takes milliseconds.
	JobTimeout = 15 * time.Second
	// RescueAfter is how long a job may stay running before it is assumed
	// abandoned by a dead worker and made available again. Consumers are
	// idempotent, so a rare second run of a slow job is harmless.
	RescueAfter = 45 * time.Second
	// MaxAttempts keeps a job retrying for days (at MaxBackoff per attempt)
	// before River discards it.
	MaxAttempts = 10000
	// MinBackoff and MaxBackoff bound the wait between attempts.
	MinBackoff = 250 * time.Millisecond
	MaxBackoff = 30 * time.Second
	// FetchCooldown is the least time between two fetches of available
	// jobs. River's default (100 ms) caps a queue at MaxWorkers jobs per
	// 100 ms, slower than tickets arrive; deliveries take milliseconds.
	FetchCooldown = 10 * time.Millisecond
	// MaxWorkers is how many deliveries of one queue run at once in one
	// process. Deliveries wait on the network and the peer's commit, not on
	// this process's CPU, so more run at once than there are cores.
	MaxWorkers = 30
	// FetchPollInterval is how often a queue looks for new jobs when it
	// has none. Jobs inserted in a transaction of pg.InTx wake their
	// workers when it commits (InsertTx), so the poll finds only what
	// else becomes available: a job inserted elsewhere, a wake-up lost to
	// a broken connection. Polling every 20 ms instead cost an idle suite
	// some 800 queries and half a core a second.
	FetchPollInterval = time.Second
	// SlowPollInterval is how often an Unhurried queue looks for new jobs
	// when it has none.
	SlowPollInterval = 5 * time.Second
)

// Configure applies the suite's delivery settings to cfg, keeping any value
// the caller already set.
func Configure(cfg *river.Config) *river.Config {
	if cfg.JobTimeout == 0 {
		cfg.JobTimeout = JobTimeout
	}
	if cfg.RescueStuckJobsAfter == 0 {
		// River requires the rescue to come after the job's own timeout.
		cfg.RescueStuckJobsAfter = max(RescueAfter, cfg.JobTimeout+30*time.Second)
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = MaxAttempts
	}
	if cfg.FetchCooldown == 0 {
		cfg.FetchCooldown = FetchCooldown
	}
	if cfg.FetchPollInterval == 0 {
		cfg.FetchPollInterval = FetchPollInterval
	}
	if cfg.RetryPolicy == nil {
		cfg.RetryPolicy = RetryPolicy{Min: MinBackoff, Max: MaxBackoff}
	}
	return cfg
}

// RetryPolicy is capped exponential backoff with jitter: Min, 2*Min, 4*Min,
// ... up to Max, each shortened by up to 20% at random so that retries of
// many jobs failed by one outage do not arrive in lockstep.
type RetryPolicy struct {
	// Min is the wait after the first failure.
	Min time.Duration
	// Max caps the wait.
	Max time.Duration
}

// NextRetry implements river.ClientRetryPolicy.
func (p RetryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(p.backoff(job.Attempt))
}

// backoff is the wait after the given attempt (1 for the first).
func (p RetryPolicy) backoff(attempt int) time.Duration {
	d := p.Min
	for i := 1; i < attempt && d < p.Max; i++ {
		d *= 2
	}
	d = min(d, p.Max)
	return d - time.Duration(rand.Int64N(int64(d)/5+1))
}
