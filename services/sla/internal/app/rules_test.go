package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

// Monday 2 March 2026, 08:00 in Johannesburg (UTC+2): a working week starts.
var monday0800 = time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)

// officeHours is Mon-Fri 08:00-17:00 in Johannesburg with public holidays.
func officeHours() domain.CalendarSpec {
	s := domain.CalendarSpec{Name: "office", TimeZone: "Africa/Johannesburg", SouthAfricanHolidays: true}
	for wd := 1; wd <= 5; wd++ {
		s.Intervals = append(s.Intervals, domain.IntervalSpec{Weekday: wd, Start: "08:00", End: "17:00"})
	}
	return s
}

// officeTicket creates a CPT water policy on office hours (resolution 120
// working hours, warning at 80 % = 96 h) and a ticket at monday0800 whose
// response clock is met at once, so only the resolution clock runs.
func officeTicket(t *testing.T, f *fixture) (calendarID, configID, ticketID string) {
	t.Helper()
	f.now = monday0800
	cal, err := f.app.CreateCalendar(admin, officeHours())
	require.NoError(t, err)
	cfg, err := f.app.CreateSlaConfig(admin, domain.Config{Municipality: "CPT", Category: "water",
		ResponseHours: 24, ResolutionHours: 120, WarningPct: 80, CalendarID: cal.ID, PauseStatuses: []string{"awaiting_citizen"}})
	require.NoError(t, err)
	id := f.create(t, "CPT", "water", monday0800)
	f.status(t, "CPT", id, 2, "open", "in_progress", true, monday0800)
	return cal.ID, cfg.ID, id
}

// resolution returns the ticket's first resolution clock.
func (f *fixture) resolution(t *testing.T, id string) domain.Clock {
	t.Helper()
	clocks, _, err := f.app.GetTicketClocks(job("CPT"), id)
	require.NoError(t, err)
	return clockOf(t, clocks, domain.ClockResolution, 1)
}

// sweepAt sweeps at `at` and returns what it recorded.
func (f *fixture) sweepAt(t *testing.T, at time.Time) (warnings, breaches int) {
	t.Helper()
	f.now = at
	res, err := f.app.Sweep(context.Background(), 1000, 100)
	require.NoError(t, err)
	return res.Warnings, res.Breaches
}

// switchedTo24x7 checks the clock after its rules became 24x7 at `at` with
// 90 working hours counted: 90 h at the switch, then wall-clock time.
func switchedTo24x7(t *testing.T, f *fixture, id string, at time.Time) {
	t.Helper()
	res := f.resolution(t, id)
	require.Equal(t, 90*time.Hour, res.Elapsed, "the 90 working hours so far stay 90 hours")
	require.Equal(t, at.Add(30*time.Hour), res.DeadlineAt, "the remaining 30 hours run on the new rule")
	w, b := f.sweepAt(t, at)
	require.Zero(t, w+b, "no warning, breach or escalation at the switch")
	w, b = f.sweepAt(t, at.Add(6*time.Hour-time.Second))
	require.Zero(t, w+b, "95.99 h elapsed: below the 96 h warning")
	w, b = f.sweepAt(t, at.Add(6*time.Hour))
	require.Equal(t, [2]int{1, 0}, [2]int{w, b}, "96 h elapsed six wall-clock hours later: the warning")
	w, b = f.sweepAt(t, at.Add(30*time.Hour))
	require.Equal(t, [2]int{0, 1}, [2]int{w, b}, "120 h elapsed: the breach")
	require.Equal(t, 1, f.count(t, `SELECT count(*) FROM sla.river_job WHERE kind = 'sla.escalate' AND args->>'ticket_id' = $1`, id))
}

func TestACalendarEditMeasuresOnlyTheRestWithTheNewCalendar(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	calID, _, id := officeTicket(t, f)
	// Friday 13 March 17:00: ten working days of nine hours, 273 wall-clock hours.
	switchAt := monday0800.Add(273 * time.Hour)
	require.Equal(t, 90*time.Hour, f.resolution(t, id).ElapsedAt(switchAt, mustBuild(t, officeHours())))
	f.now = switchAt
	_, n, err := f.app.UpdateCalendar(admin, domain.CalendarUpdate{ID: calID, Paths: []string{"always_open"},
		Values: domain.CalendarSpec{AlwaysOpen: true}})
	require.NoError(t, err)
	require.Equal(t, 1, n, "the open resolution clock")

	f.now = switchAt.Add(5 * time.Hour)
	es, at, err := f.app.ExplainTicketClocks(job("CPT"), id)
	require.NoError(t, err)
	require.Equal(t, f.now, at)
	res := es[1]
	require.Equal(t, domain.ClockResolution, res.Clock.Kind)
	require.Equal(t, []domain.Segment{
		{From: monday0800, To: switchAt, Calendar: domain.CalendarRef{ID: calID, Version: 1}, ConfigID: res.Clock.ConfigID,
			ConfigVersion: 1, Elapsed: 90 * time.Hour, EndReason: domain.SegmentCalendarChanged},
		{From: switchAt, To: f.now, Calendar: domain.CalendarRef{ID: calID, Version: 2}, ConfigID: res.Clock.ConfigID,
			ConfigVersion: 1, Elapsed: 5 * time.Hour},
	}, res.Segments, "90 h on version 1 up to the switch, then wall-clock time on version 2")
	versions, err := f.app.ListCalendarVersions(admin, calID)
	require.NoError(t, err)
	require.Len(t, versions, 2)
	require.True(t, versions[0].Spec.AlwaysOpen)
	require.Equal(t, switchAt, versions[0].EffectiveFrom)
	require.False(t, versions[1].Spec.AlwaysOpen, "version 1 is kept as it was")
	require.Equal(t, monday0800, versions[1].EffectiveFrom)

	switchedTo24x7(t, f, id, switchAt)
}

func TestAPolicyEditMeasuresOnlyTheRestWithTheNewPolicy(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, cfgID, id := officeTicket(t, f)
	switchAt := monday0800.Add(273 * time.Hour)
	f.now = switchAt
	_, n, err := f.app.UpdateSlaConfig(admin, domain.ConfigUpdate{ID: cfgID, Paths: []string{"calendar_id"},
		Values: domain.Config{CalendarID: ""}}) // 24x7 from now on
	require.NoError(t, err)
	require.Equal(t, 1, n)
	es, _, err := f.app.ExplainTicketClocks(job("CPT"), id)
	require.NoError(t, err)
	segs := es[1].Segments
	require.Len(t, segs, 1, "one closed segment; the next has not counted anything yet")
	require.Equal(t, domain.SegmentPolicyChanged, segs[0].EndReason)
	require.Equal(t, int64(1), segs[0].ConfigVersion)
	require.Equal(t, 90*time.Hour, segs[0].Elapsed)
	require.Equal(t, int64(2), es[1].Clock.ConfigVersion)
	require.Empty(t, es[1].Clock.CalendarID)
	versions, err := f.app.ListSlaConfigVersions(admin, cfgID)
	require.NoError(t, err)
	require.Len(t, versions, 2)
	require.NotEmpty(t, versions[1].Config.CalendarID, "version 1 keeps its calendar")
	switchedTo24x7(t, f, id, switchAt)
}

func TestAHolidayDeclaredInThePastDoesNotRemeasureCountedTime(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	calID, _, id := officeTicket(t, f)
	wednesday1700 := monday0800.Add(2*24*time.Hour + 9*time.Hour)
	f.now = wednesday1700
	_, _, err := f.app.UpdateCalendar(admin, domain.CalendarUpdate{ID: calID, Paths: []string{"declared_holidays"},
		Values: domain.CalendarSpec{DeclaredHolidays: append(officeHours().DeclaredHolidays,
			domain.DeclaredHoliday{Date: "2026-03-03", Name: "declared after the fact"},
			domain.DeclaredHoliday{Date: "2026-03-05", Name: "declared ahead"})}})
	require.NoError(t, err)
	res := f.resolution(t, id)
	require.Equal(t, 27*time.Hour, res.Elapsed, "Monday to Wednesday stay three working days")
	// 93 hours remain: Thursday is now a holiday; Friday 6 March (9 h), the
	// week of 9 March (45 h), then 16-19 March (36 h) and Friday 20 March
	// 08:00 + 3 h, 11:00 in Johannesburg.
	require.Equal(t, time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC), res.DeadlineAt)
}
