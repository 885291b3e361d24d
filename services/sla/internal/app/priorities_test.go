package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// createAt feeds a created event with a priority.
func (f *fixture) createAt(t *testing.T, tenant, category, priority string, at time.Time) string {
	t.Helper()
	id := uuid.NewString()
	_, applied, err := f.app.RecordTicketEvent(job(tenant), domain.TicketEvent{EventID: uuid.NewString(), Tenant: tenant, TicketID: id,
		Category: category, Kind: domain.EventCreated, To: word.StatusOpen, At: at, Sequence: 1, Priority: priority})
	require.NoError(t, err)
	require.True(t, applied)
	return id
}

// prioritise feeds a priority change.
func (f *fixture) prioritise(t *testing.T, tenant, id string, seq int64, priority string, at time.Time) []domain.Clock {
	t.Helper()
	clocks, applied, err := f.app.RecordTicketEvent(job(tenant), domain.TicketEvent{EventID: uuid.NewString(), Tenant: tenant,
		TicketID: id, Kind: domain.EventPriorityChanged, To: word.StatusOpen, At: at, Sequence: seq, Priority: priority})
	require.NoError(t, err)
	require.True(t, applied)
	return clocks
}

func TestAP1TicketGetsTheP1DeadlineAndAPriorityChangeKeepsTheElapsedTime(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	t0 := f.now
	// CPT water: 24 h / 168 h for every priority, 2 h / 12 h for P1.
	_, err := f.app.CreateSlaConfig(admin, domain.Config{Municipality: "CPT", Category: "water", ResponseHours: 24,
		ResolutionHours: 168, WarningPct: 80, PauseStatuses: []string{"awaiting_citizen"}})
	require.NoError(t, err)
	p1, err := f.app.CreateSlaConfig(admin, domain.Config{Municipality: "CPT", Category: "water", Priority: word.PriorityP1Critical,
		ResponseHours: 2, ResolutionHours: 12, WarningPct: 80, PauseStatuses: []string{"awaiting_citizen"}})
	require.NoError(t, err)
	_, err = f.app.CreateSlaConfig(admin, domain.Config{Municipality: "CPT", Category: "water", Priority: word.PriorityP1Critical,
		ResponseHours: 1, ResolutionHours: 6, WarningPct: 80})
	require.ErrorIs(t, err, domain.ErrConfigTaken, "one policy per municipality, category and priority")

	t.Run("a P1 ticket gets the P1 deadline", func(t *testing.T) {
		id := f.createAt(t, "CPT", "water", word.PriorityP1Critical, t0)
		clocks, _, err := f.app.GetTicketClocks(job("CPT"), id)
		require.NoError(t, err)
		require.Equal(t, t0.Add(2*time.Hour), clockOf(t, clocks, domain.ClockResponse, 1).DeadlineAt)
		require.Equal(t, t0.Add(12*time.Hour), clockOf(t, clocks, domain.ClockResolution, 1).DeadlineAt)
		require.Equal(t, p1.ID, clockOf(t, clocks, domain.ClockResolution, 1).ConfigID)
	})
	t.Run("a P3 ticket, and one without a priority, get the category's", func(t *testing.T) {
		for _, prio := range []string{word.PriorityP3Medium, ""} {
			id := f.createAt(t, "CPT", "water", prio, t0)
			clocks, _, err := f.app.GetTicketClocks(job("CPT"), id)
			require.NoError(t, err)
			require.Equal(t, t0.Add(168*time.Hour), clockOf(t, clocks, domain.ClockResolution, 1).DeadlineAt, "priority %q", prio)
		}
	})
	t.Run("raised to P1 after 3 hours: the 3 hours stay counted, the rest runs against 12 hours", func(t *testing.T) {
		id := f.createAt(t, "CPT", "water", word.PriorityP3Medium, t0)
		clocks := f.prioritise(t, "CPT", id, 2, word.PriorityP1Critical, t0.Add(3*time.Hour))
		res := clockOf(t, clocks, domain.ClockResolution, 1)
		require.Equal(t, 3*time.Hour, res.Elapsed, "the elapsed time as it was measured")
		require.Equal(t, t0.Add(12*time.Hour), res.DeadlineAt, "12 h target: 9 h left from the change")
		resp := clockOf(t, clocks, domain.ClockResponse, 1)
		require.Equal(t, t0.Add(3*time.Hour), resp.DeadlineAt, "3 h elapsed against the P1 response target of 2 h: due at the change")
		require.False(t, resp.NextDueAt.After(t0.Add(3*time.Hour)), "the next sweep escalates it")
		require.Equal(t, 1, f.count(t, `SELECT count(*) FROM sla.clock_segments WHERE ticket_id = $1 AND end_reason = 'priority_changed'
			AND clock_kind = 'resolution' AND elapsed_us = $2`, id, (3*time.Hour).Microseconds()))
		// Lowered to P4 (no P4 policy: the category's) after 5 hours.
		clocks = f.prioritise(t, "CPT", id, 3, word.PriorityP4Low, t0.Add(5*time.Hour))
		res = clockOf(t, clocks, domain.ClockResolution, 1)
		require.Equal(t, 5*time.Hour, res.Elapsed)
		require.Equal(t, t0.Add(168*time.Hour), res.DeadlineAt)
		require.Equal(t, 2, f.count(t, `SELECT count(*) FROM sla.river_job WHERE kind = 'sla.record_deadlines' AND args->>'ticket_id' = $1`, id)-1,
			"the ticket service is told each new deadline")
		// A stale priority event is ignored.
		_, applied, err := f.app.RecordTicketEvent(job("CPT"), domain.TicketEvent{EventID: uuid.NewString(), Tenant: "CPT", TicketID: id,
			Kind: domain.EventPriorityChanged, At: t0.Add(4 * time.Hour), Sequence: 2, Priority: word.PriorityP1Critical})
		require.NoError(t, err)
		require.False(t, applied)
	})
	t.Run("a policy edit re-resolves each clock with its ticket's priority", func(t *testing.T) {
		id := f.createAt(t, "CPT", "water", word.PriorityP1Critical, t0)
		f.now = t0.Add(time.Hour)
		_, _, err := f.app.UpdateSlaConfig(admin, domain.ConfigUpdate{ID: p1.ID, Paths: []string{"resolution_hours"},
			Values: domain.Config{ResolutionHours: 6}})
		require.NoError(t, err)
		clocks, _, err := f.app.GetTicketClocks(job("CPT"), id)
		require.NoError(t, err)
		require.Equal(t, t0.Add(6*time.Hour), clockOf(t, clocks, domain.ClockResolution, 1).DeadlineAt)
		f.now = t0
	})
}

func TestAnUnlinkedDuplicateCountsAgainFromTheUnlink(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	t0 := f.now
	id := f.create(t, "CPT", "water", t0)
	f.status(t, "CPT", id, 2, "open", "in_progress", true, t0.Add(time.Hour))
	// Linked as a duplicate after 4 hours: open work moves to closed.
	clocks := f.status(t, "CPT", id, 3, "in_progress", "closed", false, t0.Add(4*time.Hour))
	require.False(t, clockOf(t, clocks, domain.ClockResolution, 1).IsOpen())
	// Unlinked a day later: the resolution clock runs again with its 4
	// hours; the response clock, met at the first response, stays met.
	clocks = f.status(t, "CPT", id, 4, "closed", "in_progress", false, t0.Add(28*time.Hour))
	res := clockOf(t, clocks, domain.ClockResolution, 1)
	require.Equal(t, domain.StateRunning, res.State)
	require.Equal(t, 4*time.Hour, res.Elapsed)
	require.Equal(t, t0.Add(28*time.Hour+164*time.Hour), res.DeadlineAt, "164 h left from the unlink")
	require.Equal(t, domain.StateMet, clockOf(t, clocks, domain.ClockResponse, 1).State)

	// Never responded to: both clocks come back, and awaiting_citizen pauses.
	other := f.create(t, "CPT", "water", t0)
	f.status(t, "CPT", other, 2, "open", "closed", false, t0.Add(2*time.Hour))
	clocks = f.status(t, "CPT", other, 3, "closed", "open", false, t0.Add(5*time.Hour))
	resp := clockOf(t, clocks, domain.ClockResponse, 1)
	require.Equal(t, domain.StateRunning, resp.State)
	require.Equal(t, t0.Add(5*time.Hour+22*time.Hour), resp.DeadlineAt)
}

func TestTheAtRiskListPutsTheMostUrgentFirstWhenAsked(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	t0 := f.now
	// All overdue on the response clock (24 h); the P3 ticket the longest.
	p3 := f.createAt(t, "CPT", "water", word.PriorityP3Medium, t0)
	none := f.createAt(t, "CPT", "water", "", t0.Add(time.Hour))
	p1 := f.createAt(t, "CPT", "water", word.PriorityP1Critical, t0.Add(2*time.Hour))
	p2 := f.createAt(t, "CPT", "water", word.PriorityP2High, t0.Add(3*time.Hour))
	f.now = t0.Add(30 * time.Hour)
	_, err := f.app.Sweep(context.Background(), 1000, 100)
	require.NoError(t, err)
	staff := as(auth.Claims{Subject: "mgr", Tenant: "CPT", Roles: []string{auth.RoleTeamManager}})
	ids := func(q domain.AtRiskQuery) []string {
		clocks, _, err := f.app.ListAtRiskTickets(staff, q)
		require.NoError(t, err)
		var out []string
		for _, c := range clocks {
			out = append(out, c.TicketID)
		}
		return out
	}
	require.Equal(t, []string{p3, none, p1, p2}, ids(domain.AtRiskQuery{IncludeBreached: true}), "soonest deadline first by default")
	require.Equal(t, []string{p1, p2, p3, none}, ids(domain.AtRiskQuery{IncludeBreached: true, PriorityFirst: true}))
}
