package app_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

func TestCreatedEventStartsBothClocksWithBuiltInTargets(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tests := []struct {
		name       string
		category   string
		response   time.Duration
		resolution time.Duration
	}{
		{"a water ticket gets 24 hours to respond and 168 to resolve", "water", 24 * time.Hour, 168 * time.Hour},
		{"a GBV ticket gets 1 hour to respond and 24 to resolve", "gbv", time.Hour, 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			id := f.create(t, "CPT", tt.category, f.now)
			clocks := f.status(t, "CPT", id, 0, "", "open", false, f.now) // no-op, reads clocks
			require.Equal(t, f.now.Add(tt.response), clockOf(t, clocks, domain.ClockResponse, 1).DeadlineAt)
			require.Equal(t, f.now.Add(tt.resolution), clockOf(t, clocks, domain.ClockResolution, 1).DeadlineAt)
			require.Equal(t, 1, f.count(t, `SELECT count(*) FROM sla.river_job WHERE kind = 'sla.record_deadlines' AND args->>'ticket_id' = $1`, id))
		})
	}
}

func TestFirstResponseMeetsTheResponseClock(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.create(t, "CPT", "water", f.now)
	clocks := f.status(t, "CPT", id, 2, "open", "in_progress", true, f.now.Add(2*time.Hour))
	resp := clockOf(t, clocks, domain.ClockResponse, 1)
	require.Equal(t, domain.StateMet, resp.State)
	require.Equal(t, 2*time.Hour, resp.Elapsed)
	require.True(t, resp.NextDueAt.IsZero(), "a met clock is never swept")
	require.Equal(t, domain.StateRunning, clockOf(t, clocks, domain.ClockResolution, 1).State)
}

func TestAwaitingCitizenPausesAndMovesTheDeadline(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	t0 := f.now
	id := f.create(t, "CPT", "roads", t0)
	f.status(t, "CPT", id, 2, "open", "in_progress", true, t0.Add(time.Hour))
	clocks := f.status(t, "CPT", id, 3, "in_progress", "awaiting_citizen", false, t0.Add(10*time.Hour))
	res := clockOf(t, clocks, domain.ClockResolution, 1)
	require.Equal(t, domain.StatePaused, res.State)
	require.True(t, res.DeadlineAt.IsZero())
	require.Equal(t, 10*time.Hour, res.Elapsed)

	clocks = f.status(t, "CPT", id, 4, "awaiting_citizen", "in_progress", false, t0.Add(34*time.Hour))
	res = clockOf(t, clocks, domain.ClockResolution, 1)
	require.Equal(t, domain.StateRunning, res.State)
	require.Equal(t, 24*time.Hour, res.Paused)
	require.Equal(t, t0.Add(168*time.Hour+24*time.Hour), res.DeadlineAt, "the deadline moves by the paused time")

	clocks = f.status(t, "CPT", id, 5, "in_progress", "resolved", false, t0.Add(40*time.Hour))
	res = clockOf(t, clocks, domain.ClockResolution, 1)
	require.Equal(t, domain.StateMet, res.State)
	require.Equal(t, 16*time.Hour, res.Elapsed)

	clocks = f.status(t, "CPT", id, 6, "resolved", "in_progress", false, t0.Add(50*time.Hour))
	cycle2 := clockOf(t, clocks, domain.ClockResolution, 2)
	require.Equal(t, domain.StateRunning, cycle2.State, "a reopen starts a new resolution cycle")
	require.Equal(t, t0.Add(50*time.Hour+168*time.Hour), cycle2.DeadlineAt)
}

func TestGBVClocksNeverPause(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.create(t, "CPT", "gbv", f.now)
	clocks := f.status(t, "CPT", id, 2, "in_progress", "awaiting_citizen", false, f.now.Add(time.Minute))
	require.Equal(t, domain.StateRunning, clockOf(t, clocks, domain.ClockResolution, 1).State)
}

func TestEventsAreAppliedOnceAndStaleOnesIgnored(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.create(t, "CPT", "water", f.now)
	ev := domain.TicketEvent{EventID: uuid.NewString(), Tenant: "CPT", TicketID: id, Kind: domain.EventStatusChanged,
		From: "open", To: "in_progress", FirstResponse: true, At: f.now.Add(time.Hour), Sequence: 5}
	_, applied, err := f.app.RecordTicketEvent(job("CPT"), ev)
	require.NoError(t, err)
	require.True(t, applied)
	_, applied, err = f.app.RecordTicketEvent(job("CPT"), ev)
	require.NoError(t, err)
	require.False(t, applied, "the same event id twice")
	stale := ev
	stale.EventID, stale.Sequence, stale.To = uuid.NewString(), 4, "awaiting_citizen"
	clocks, applied, err := f.app.RecordTicketEvent(job("CPT"), stale)
	require.NoError(t, err)
	require.False(t, applied, "an older sequence")
	require.Equal(t, domain.StateRunning, clockOf(t, clocks, domain.ClockResolution, 1).State)
}

func TestACreatedEventRepeatedUnderANewIDChangesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.create(t, "CPT", "water", f.now)
	again := domain.TicketEvent{EventID: uuid.NewString(), Tenant: "CPT", TicketID: id, Category: "water",
		Kind: domain.EventCreated, To: word.StatusOpen, At: f.now.Add(time.Hour), Sequence: 1}
	clocks, applied, err := f.app.RecordTicketEvent(job("CPT"), again)
	require.NoError(t, err, "a second created event must not abort the transaction (25P02)")
	require.False(t, applied)
	require.Equal(t, f.now.Add(24*time.Hour), clockOf(t, clocks, domain.ClockResponse, 1).DeadlineAt, "the first start stands")
	require.Equal(t, 2, f.count(t, `SELECT count(*) FROM sla.processed_events WHERE ticket_id = $1`, id))
}
