package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

func TestEveryWarningAndBreachReachesTheTicketHistoryAndTheFeed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	t0 := f.now
	id := f.create(t, "CPT", "gbv", t0) // response 1 h, warning at 48 minutes
	w, b := f.sweepAt(t, t0.Add(50*time.Minute))
	require.Equal(t, [2]int{1, 0}, [2]int{w, b})
	w, b = f.sweepAt(t, t0.Add(65*time.Minute))
	require.Equal(t, [2]int{0, 1}, [2]int{w, b})

	type job struct {
		EventID, Kind, Clock string
		Level                int
		Deadline             time.Time
	}
	rows, err := f.pool.Query(ctx, `SELECT args->>'event_id', args->>'event_kind', args->>'clock_kind',
			(args->>'escalation_level')::int, (args->>'deadline')::timestamptz
		FROM sla.river_job WHERE kind = 'sla.record_clock_event' AND args->>'ticket_id' = $1 ORDER BY id`, id)
	require.NoError(t, err)
	jobs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[job])
	require.NoError(t, err)
	require.Len(t, jobs, 2, "one history delivery per event, in the sweep's transaction")
	require.Equal(t, domain.EventWarning, jobs[0].Kind)
	require.Equal(t, domain.EventBreach, jobs[1].Kind)
	require.Equal(t, 1, jobs[1].Level, "the breach carries its escalation level")
	require.True(t, t0.Add(time.Hour).Equal(jobs[0].Deadline))

	// Events show once every older transaction in the cluster has ended
	// (another test may hold one open for a moment).
	var feed []domain.ClockEvent
	var next string
	require.Eventually(t, func() bool {
		feed, next, err = f.app.ListClockEvents(allTenants, domain.FeedQuery{After: "", PageSize: 100})
		return err == nil && len(feed) == 2
	}, 10*time.Second, 20*time.Millisecond)
	require.Equal(t, jobs[0].EventID, feed[0].EventID, "the feed and the history share the event id")
	require.Equal(t, jobs[1].EventID, feed[1].EventID)
	require.Equal(t, "CPT", feed[0].Tenant)
	require.Equal(t, id, feed[1].TicketID)
	page, cursor, err := f.app.ListClockEvents(allTenants, domain.FeedQuery{After: "", PageSize: 1})
	require.NoError(t, err)
	require.Equal(t, feed[:1], page)
	page, cursor, err = f.app.ListClockEvents(allTenants, domain.FeedQuery{After: cursor, PageSize: 1})
	require.NoError(t, err)
	require.Equal(t, feed[1:], page, "the cursor moves on by one")
	require.Equal(t, next, cursor)
	page, cursor, err = f.app.ListClockEvents(allTenants, domain.FeedQuery{After: cursor, PageSize: 100})
	require.NoError(t, err)
	require.Empty(t, page)
	require.Equal(t, next, cursor, "nothing new: poll again with the same cursor")
	_, _, err = f.app.ListClockEvents(allTenants, domain.FeedQuery{After: "not-a-cursor", PageSize: 100})
	require.Error(t, err)
}

func TestTheFeedNeverSkipsAnEventCommittedLate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	insert := func(tx pgx.Tx) {
		_, err := tx.Exec(ctx, `INSERT INTO sla.clock_events (tenant, ticket_id, clock_kind, cycle, kind, level)
			VALUES ('CPT', $1, 'response', 1, 'warning', 1)`, uuid.NewString())
		require.NoError(t, err)
	}
	slow, err := f.pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = slow.Rollback(ctx) }()
	insert(slow) // takes its transaction id first
	fast, err := f.pool.Begin(ctx)
	require.NoError(t, err)
	insert(fast)
	require.NoError(t, fast.Commit(ctx))

	page, cursor, err := f.app.ListClockEvents(allTenants, domain.FeedQuery{After: "", PageSize: 100})
	require.NoError(t, err)
	require.Empty(t, page, "the later event waits while an earlier transaction may still add one")
	require.NoError(t, slow.Commit(ctx))
	require.Eventually(t, func() bool {
		page, _, err = f.app.ListClockEvents(allTenants, domain.FeedQuery{After: cursor, PageSize: 100})
		return err == nil && len(page) == 2
	}, 10*time.Second, 20*time.Millisecond, "both events, the one committed late first")
	require.Less(t, page[0].Cursor, page[1].Cursor)
}

func TestALoosenedPolicyWarnsAgainAtItsNewThreshold(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	t0 := f.now
	cfg, err := f.app.CreateSlaConfig(admin, domain.Config{Municipality: "CPT", Category: "roads",
		ResponseHours: 1000, ResolutionHours: 10, WarningPct: 80})
	require.NoError(t, err)
	id := f.create(t, "CPT", "roads", t0)
	f.status(t, "CPT", id, 2, "open", "in_progress", true, t0)
	w, _ := f.sweepAt(t, t0.Add(9*time.Hour))
	require.Equal(t, 1, w, "8 h of 10: the warning")
	f.now = t0.Add(10*time.Hour - time.Minute)
	_, _, err = f.app.UpdateSlaConfig(admin, domain.ConfigUpdate{ID: cfg.ID, Paths: []string{"resolution_hours"}, Values: domain.Config{ResolutionHours: 20}})
	require.NoError(t, err)
	require.True(t, f.resolution(t, id).WarnedAt.IsZero(), "below the new 16 h threshold the clock may warn again")
	w, b := f.sweepAt(t, t0.Add(16*time.Hour-time.Second))
	require.Zero(t, w+b)
	w, b = f.sweepAt(t, t0.Add(16*time.Hour))
	require.Equal(t, [2]int{1, 0}, [2]int{w, b}, "16 h of 20: the new threshold warns")
	require.Equal(t, 2, f.count(t, `SELECT count(*) FROM sla.river_job WHERE kind = 'sla.record_clock_event' AND args->>'ticket_id' = $1`, id))
	w, b = f.sweepAt(t, t0.Add(20*time.Hour))
	require.Equal(t, [2]int{0, 1}, [2]int{w, b}, "the breach on the loosened deadline")
}

func TestABreachedClockEscalatesOnTheCurrentTarget(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	t0 := f.now
	cfg, err := f.app.CreateSlaConfig(admin, domain.Config{Municipality: "CPT", Category: "roads",
		ResponseHours: 1000, ResolutionHours: 10, WarningPct: 80})
	require.NoError(t, err)
	id := f.create(t, "CPT", "roads", t0)
	f.status(t, "CPT", id, 2, "open", "in_progress", true, t0)
	_, b := f.sweepAt(t, t0.Add(10*time.Hour))
	require.Equal(t, 1, b, "step 1 at 10 h")
	f.now = t0.Add(12 * time.Hour)
	_, _, err = f.app.UpdateSlaConfig(admin, domain.ConfigUpdate{ID: cfg.ID, Paths: []string{"resolution_hours"}, Values: domain.Config{ResolutionHours: 20}})
	require.NoError(t, err)
	res := f.resolution(t, id)
	require.Equal(t, domain.StateBreached, res.State, "a breach that happened stays")
	require.Equal(t, t0.Add(10*time.Hour), res.DeadlineAt, "the deadline that passed stays as it was")
	_, b = f.sweepAt(t, t0.Add(20*time.Hour))
	require.Zero(t, b, "step 2 is two current targets (40 h), not two old ones")
	_, b = f.sweepAt(t, t0.Add(40*time.Hour))
	require.Equal(t, 1, b)
	require.Equal(t, 2, f.count(t, `SELECT count(*) FROM sla.river_job WHERE kind = 'sla.escalate' AND args->>'ticket_id' = $1`, id))
}
