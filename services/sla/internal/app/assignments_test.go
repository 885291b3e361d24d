package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/sla/internal/app"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// assign feeds an assigned event (team and ward as of seq) and reports
// whether it applied.
func (f *fixture) assign(t *testing.T, id string, seq int64, team, ward string, at time.Time) bool {
	t.Helper()
	_, applied, err := f.app.RecordTicketEvent(job("CPT"), domain.TicketEvent{EventID: uuid.NewString(), Tenant: "CPT",
		TicketID: id, Kind: domain.EventAssigned, At: at, Sequence: seq, TeamID: team, WardCode: ward})
	require.NoError(t, err)
	return applied
}

// tally is a compliance report of August 2026 grouped by dims, as a map
// from the group's team and ward ("team/ward") to its tickets, GBV rows
// under "gbv " and withheld rows as -1.
func (f *fixture) tally(t *testing.T, ctx context.Context, dims ...domain.Dimension) map[string]int64 {
	t.Helper()
	rows, _, err := f.app.GetComplianceReport(ctx, app.ReportQuery{Tenant: "CPT", Period: "2026-08", GroupBy: dims})
	require.NoError(t, err)
	out := map[string]int64{}
	for _, r := range rows {
		k := r.Group.TeamID + "/" + r.Group.WardCode
		if r.GBV {
			k = "gbv " + k
		}
		if r.Suppressed {
			out[k] = -1
			continue
		}
		out[k] += r.Counts.Tickets
	}
	return out
}

func TestAnAssignmentMovesTheTicketInTheReportsInItsOwnOrder(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	t0 := sast(8, 3, 8, 0)
	f.now = t0.Add(time.Hour)
	teamA, teamB, teamC := uuid.NewString(), uuid.NewString(), uuid.NewString()
	routed := f.create(t, "CPT", "water", t0) // created before routing: no team, no ward
	other := f.create(t, "CPT", "water", t0)
	byTeamAndWard := []domain.Dimension{domain.DimTeam, domain.DimWard}
	require.Equal(t, map[string]int64{"/": 2}, f.tally(t, agent, byTeamAndWard...))

	require.True(t, f.assign(t, routed, 2, teamA, "19100001", t0.Add(time.Minute)), "routing's assignment")
	require.Equal(t, map[string]int64{teamA + "/19100001": 1, "/": 1}, f.tally(t, agent, byTeamAndWard...),
		"routed and never touched again: counted under its team and ward")

	require.True(t, f.assign(t, routed, 4, teamB, "", t0.Add(2*time.Hour)), "a reassignment")
	require.Equal(t, map[string]int64{teamB + "/19100001": 1, "/": 1}, f.tally(t, agent, byTeamAndWard...),
		"the reassignment moves it out of the old team's cell; the ward stays")

	require.False(t, f.assign(t, routed, 3, teamC, "", t0.Add(90*time.Minute)), "an older assignment delivered late")
	require.Equal(t, map[string]int64{teamB + "/19100001": 1, "/": 1}, f.tally(t, agent, byTeamAndWard...))

	// A status change older than the reassignment, delivered after it,
	// still applies to the clocks (the status has its own order) but
	// carries the team before the reassignment, which it leaves alone.
	_, applied, err := f.app.RecordTicketEvent(job("CPT"), domain.TicketEvent{EventID: uuid.NewString(), Tenant: "CPT",
		TicketID: routed, Kind: domain.EventStatusChanged, From: word.StatusOpen, To: word.StatusInProgress,
		FirstResponse: true, At: t0.Add(80 * time.Minute), Sequence: 3, TeamID: teamA, WardCode: "19100001"})
	require.NoError(t, err)
	require.True(t, applied, "the status change is not dropped for coming after the reassignment")
	rows, _, err := f.app.GetComplianceReport(agent, app.ReportQuery{Tenant: "CPT", Period: "2026-08",
		GroupBy: byTeamAndWard})
	require.NoError(t, err)
	require.Len(t, rows, 2)
	for _, r := range rows {
		if r.Group.TeamID == teamB {
			require.Equal(t, []int64{1, 1, 1}, []int64{r.Counts.Tickets, r.Counts.Responded, r.Counts.ResponseMet},
				"the response counts in the new team's cell")
		}
	}

	// A status event newer than the team's carries the team too (events
	// recorded before assignments were sent on their own).
	f.status(t, "CPT", other, 2, word.StatusOpen, word.StatusInProgress, true, t0.Add(time.Hour))
	_, _, err = f.app.RecordTicketEvent(job("CPT"), domain.TicketEvent{EventID: uuid.NewString(), Tenant: "CPT",
		TicketID: other, Kind: domain.EventStatusChanged, From: word.StatusInProgress, To: word.StatusAwaitingCitizen,
		At: t0.Add(2 * time.Hour), Sequence: 3, TeamID: teamC})
	require.NoError(t, err)
	require.Equal(t, map[string]int64{teamB + "/19100001": 1, teamC + "/": 1}, f.tally(t, agent, byTeamAndWard...))

	// The daily and monthly cells moved in step: the old team's cells are
	// empty and the municipality's totals count each ticket once.
	_, err = f.app.FoldReports(t.Context())
	require.NoError(t, err)
	require.Equal(t, 0, f.count(t, `SELECT coalesce(sum(tickets), 0) FROM sla.report_daily WHERE team_id = $1`, teamA))
	require.Equal(t, 2, f.count(t, `SELECT sum(tickets) FROM sla.report_daily WHERE tenant = 'CPT'`))
	require.Equal(t, 2, f.count(t, `SELECT sum(tickets) FROM sla.report_daily_totals WHERE tenant = 'CPT'`))
	require.Equal(t, 1, f.count(t, `SELECT sum(responded) FROM sla.report_daily WHERE team_id = $1`, teamB))
	require.Equal(t, 0, f.count(t, `SELECT coalesce(sum(tickets), 0) FROM sla.report_monthly WHERE team_id = $1`, teamA))
	require.Equal(t, 1, f.count(t, `SELECT sum(tickets) FROM sla.report_monthly WHERE team_id = $1`, teamB))
}

func TestAPriorityChangeMovesTheTicketInTheReports(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	t0 := sast(8, 3, 8, 0)
	f.now = t0.Add(time.Hour)
	id := f.createAt(t, "CPT", "water", word.PriorityP3Medium, t0)
	f.prioritise(t, "CPT", id, 2, word.PriorityP1Critical, t0.Add(time.Minute))
	rows, _, err := f.app.GetComplianceReport(agent, app.ReportQuery{Tenant: "CPT", Period: "2026-08",
		GroupBy: []domain.Dimension{domain.DimPriority}})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Equal(t, word.PriorityP1Critical, rows[0].Group.Priority)

	// An assigned event never sets the priority: it follows the status
	// order, and a late assignment would undo a newer change.
	_, _, err = f.app.RecordTicketEvent(job("CPT"), domain.TicketEvent{EventID: uuid.NewString(), Tenant: "CPT",
		TicketID: id, Kind: domain.EventAssigned, At: t0, Sequence: 3, TeamID: uuid.NewString(), Priority: word.PriorityP3Medium})
	require.NoError(t, err)
	rows, _, err = f.app.GetComplianceReport(agent, app.ReportQuery{Tenant: "CPT", Period: "2026-08",
		GroupBy: []domain.Dimension{domain.DimPriority}})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Equal(t, word.PriorityP1Critical, rows[0].Group.Priority)
}

func TestAssignedGBVTicketsKeepTheGBVRulesOfTheReports(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	t0 := sast(8, 3, 8, 0)
	f.now = t0.Add(time.Hour)
	saps, saps2 := uuid.NewString(), uuid.NewString()
	var ids []string
	for range 6 {
		id := f.create(t, "CPT", "gbv", t0)
		require.True(t, f.assign(t, id, 2, saps, "19100001", t0.Add(time.Minute)))
		ids = append(ids, id)
	}
	require.True(t, f.assign(t, ids[0], 3, saps2, "", t0.Add(time.Hour)), "escalated to another SAPS team")
	water := f.create(t, "CPT", "water", t0)
	require.True(t, f.assign(t, water, 2, uuid.NewString(), "19100001", t0.Add(time.Minute)))

	for _, who := range []struct {
		name string
		ctx  context.Context
	}{{"agent", agent}, {"liaison", liaison}, {"admin", admin}} {
		t.Run(who.name, func(t *testing.T) {
			byTeam := f.tally(t, who.ctx, domain.DimTeam)
			byWard := f.tally(t, who.ctx, domain.DimWard)
			byBoth := f.tally(t, who.ctx, domain.DimTeam, domain.DimWard)
			if who.name == "agent" {
				for _, m := range []map[string]int64{byTeam, byWard, byBoth} {
					for k := range m {
						require.NotContains(t, k, "gbv", "an agent sees no GBV at all")
					}
				}
				return
			}
			require.Equal(t, int64(5), byTeam["gbv "+saps+"/"])
			require.Equal(t, int64(1), byTeam["gbv "+saps2+"/"], "a team cell is no ward cell: not withheld")
			require.Equal(t, int64(6), byWard["gbv /19100001"], "the ward keeps all six")
			require.Equal(t, int64(5), byBoth["gbv "+saps+"/19100001"])
			require.Equal(t, int64(-1), byBoth["gbv "+saps2+"/19100001"], "the ward's cell of one is withheld")
		})
	}
}

func TestAWardAloneComesWithoutATeamOrSequenceAndTriageHasNoTeam(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	t0 := sast(8, 3, 8, 0)
	f.now = t0.Add(time.Hour)
	team := uuid.NewString()
	id := f.create(t, "CPT", "water", t0)
	require.True(t, f.assign(t, id, 2, team, "", t0.Add(time.Minute)), "an escalation overtook routing's assignment")
	require.True(t, f.assign(t, id, 0, "", "19100001", t0.Add(2*time.Minute)), "routing's told the ward only")
	require.Equal(t, map[string]int64{team + "/19100001": 1}, f.tally(t, agent, domain.DimTeam, domain.DimWard))

	_, _, err := f.app.RecordTicketEvent(job("CPT"), domain.TicketEvent{EventID: uuid.NewString(), Tenant: "CPT",
		TicketID: id, Kind: domain.EventAssigned, At: t0, TeamID: uuid.NewString()})
	require.ErrorContains(t, err, "sequence", "a team without its order is refused")
	_, _, err = f.app.RecordTicketEvent(job("CPT"), domain.TicketEvent{EventID: uuid.NewString(), Tenant: "CPT",
		TicketID: id, Kind: domain.EventAssigned, At: t0})
	require.ErrorContains(t, err, "ward_code", "without a sequence an assigned event tells a ward")

	require.True(t, f.assign(t, id, 3, "", "", t0.Add(3*time.Minute)), "escalated to the triage queue: no team")
	require.Equal(t, map[string]int64{"/19100001": 1}, f.tally(t, agent, domain.DimTeam, domain.DimWard))
	require.False(t, f.assign(t, id, 0, "", "19100001", t0.Add(4*time.Minute)), "the ward again: nothing changes")
	_, _, err = f.app.RecordTicketEvent(job("CPT"), domain.TicketEvent{EventID: uuid.NewString(), Tenant: "CPT",
		TicketID: uuid.NewString(), Kind: domain.EventAssigned, At: t0, Sequence: 2, TeamID: team})
	require.ErrorIs(t, err, domain.ErrNotClockedYet, "before the created event: retried")
}
