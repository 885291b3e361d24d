package app_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/sla/internal/app"
)

func TestSweepRecordsWarningThenBreachOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	id := f.create(t, "CPT", "gbv", f.now) // response 1h, warn at 48m
	f.now = f.now.Add(50 * time.Minute)
	res, err := f.app.Sweep(ctx, 1000, 100)
	require.NoError(t, err)
	require.Equal(t, 1, res.Warnings)
	require.Zero(t, res.Breaches)
	f.now = f.now.Add(15 * time.Minute)
	res, err = f.app.Sweep(ctx, 1000, 100)
	require.NoError(t, err)
	require.Equal(t, 0, res.Warnings)
	require.Equal(t, 1, res.Breaches)
	require.Equal(t, 1, f.count(t, `SELECT count(*) FROM sla.river_job WHERE kind = 'sla.escalate' AND args->>'ticket_id' = $1 AND (args->>'level')::int = 1`, id))
	res, err = f.app.Sweep(ctx, 1000, 100)
	require.NoError(t, err)
	require.Zero(t, res.Warnings+res.Breaches, "nothing is due twice")
}

func TestSweepAfterDowntimeCatchesUpOnEveryMissedLevel(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.create(t, "CPT", "gbv", f.now)
	// 2 days later: response (1h) steps at 1h, 2h, 3h; resolution (24h) at 24h, 48h.
	f.now = f.now.Add(48 * time.Hour)
	res, err := f.app.Sweep(context.Background(), 1000, 100)
	require.NoError(t, err)
	require.Equal(t, 2, res.Warnings)
	require.Equal(t, 5, res.Breaches)
	require.Equal(t, 5, f.count(t, `SELECT count(DISTINCT (args->>'level')::int) FROM sla.river_job WHERE kind = 'sla.escalate' AND args->>'ticket_id' = $1`, id))
	require.Equal(t, 5, f.count(t, `SELECT max(escalation_level) FROM sla.clock_events WHERE ticket_id = $1`, id))
}

func TestConcurrentSweepersRecordEachEventExactlyOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const tickets = 40
	for range tickets {
		f.create(t, "JHB", "gbv", f.now)
	}
	f.now = f.now.Add(90 * time.Minute) // response warned and breached, resolution warned? no (19.2h)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.app.Sweep(context.Background(), 1000, 7)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, tickets*2, f.count(t, `SELECT count(*) FROM sla.clock_events`))
	require.Equal(t, tickets, f.count(t, `SELECT count(*) FROM sla.river_job WHERE kind = 'sla.escalate'`))
	require.Equal(t, tickets, f.count(t, `SELECT count(*) FROM sla.clock_events WHERE kind = 'breach' AND escalation_level = 1`))
}

func TestSweepKilledMidBatchAndRerunProducesNoDuplicate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	for range 10 {
		f.create(t, "ETH", "gbv", f.now)
	}
	f.now = f.now.Add(2 * time.Hour)
	// The first batch of 4 commits; the second dies after its third clock.
	batches := 0
	f.app.AfterSweptClock = func(n int) error {
		if n == 1 {
			batches++
		}
		if batches == 2 && n == 3 {
			return errors.New("killed")
		}
		return nil
	}
	_, err := f.app.Sweep(ctx, 1000, 4)
	require.Error(t, err)
	require.Equal(t, 4, f.count(t, `SELECT count(DISTINCT ticket_id) FROM sla.clock_events`), "only the committed batch left traces")
	f.app.AfterSweptClock = nil
	_, err = f.app.Sweep(ctx, 1000, 4)
	require.NoError(t, err)
	// Per ticket: response warning + breach steps 1 and 2.
	require.Equal(t, 30, f.count(t, `SELECT count(*) FROM sla.clock_events`))
	require.Equal(t, 20, f.count(t, `SELECT count(*) FROM sla.river_job WHERE kind = 'sla.escalate'`))
	require.Equal(t, 0, f.count(t, `SELECT count(*) FROM (SELECT args->>'ticket_id', (args->>'level')::int FROM sla.river_job
		WHERE kind = 'sla.escalate' GROUP BY 1, 2 HAVING count(*) > 1) d`))
}

func TestSweepTakesNowFromTheDatabaseNotTheReplicasClock(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.app = app.New(f.pool, f.jobs, 100)
	// This replica's clock runs a year ahead; the database's is the truth.
	f.app.Now = func() time.Time { return time.Now().Add(365 * 24 * time.Hour) }
	var dbNow time.Time
	require.NoError(t, f.pool.QueryRow(context.Background(), `SELECT now()`).Scan(&dbNow))
	warned := f.create(t, "CPT", "gbv", dbNow.Add(-50*time.Minute)) // response warns at 48 minutes
	f.create(t, "CPT", "gbv", dbNow.Add(-10*time.Minute))
	res, err := f.app.Sweep(context.Background(), 1000, 100)
	require.NoError(t, err)
	require.Equal(t, 1, res.Warnings, "only the clock due by the database's clock warns")
	require.Zero(t, res.Breaches)
	var at time.Time
	require.NoError(t, f.pool.QueryRow(context.Background(), `SELECT create_time FROM sla.clock_events WHERE ticket_id = $1`, warned).Scan(&at))
	require.WithinDuration(t, dbNow, at, time.Minute, "the warning is stamped with the database's time")
}
