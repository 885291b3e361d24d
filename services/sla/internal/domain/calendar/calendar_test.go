package calendar_test

import (
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/sla/internal/domain/calendar"
)

func johannesburg(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(calendar.DefaultTimeZone)
	require.NoError(t, err)
	return loc
}

// officeHours is Monday to Friday 08:00-17:00 with SA holidays.
func officeHours(t *testing.T, declared ...calendar.Date) *calendar.Calendar {
	t.Helper()
	var ivs []calendar.Interval
	for wd := time.Monday; wd <= time.Friday; wd++ {
		ivs = append(ivs, calendar.Interval{Weekday: wd, Start: 8 * 60, End: 17 * 60})
	}
	c, err := calendar.New(johannesburg(t), ivs, true, declared)
	require.NoError(t, err)
	return c
}

func TestAddBusinessGivesExactDeadlines(t *testing.T) {
	t.Parallel()
	loc := johannesburg(t)
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
	night := make([]calendar.Interval, 0, 14)
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		night = append(night, calendar.Interval{Weekday: wd, Start: 0, End: 6 * 60}, calendar.Interval{Weekday: wd, Start: 20 * 60, End: 1440})
	}
	nightShift, err := calendar.New(loc, night, false, nil)
	require.NoError(t, err)
	election := calendar.Date{Year: 2026, Month: time.November, Day: 4}
	tests := []struct {
		name  string
		cal   *calendar.Calendar
		start time.Time
		add   time.Duration
		want  time.Time
	}{
		{"a ticket created on a Friday afternoon is due on Monday morning", officeHours(t), at(2026, 3, 6, 15, 0), 4 * time.Hour, at(2026, 3, 9, 10, 0)},
		{"a ticket created on a Saturday waits for Monday", officeHours(t), at(2026, 3, 7, 10, 0), time.Hour, at(2026, 3, 9, 9, 0)},
		{"a ticket created before opening starts counting at 08:00", officeHours(t), at(2026, 3, 9, 6, 30), 30 * time.Minute, at(2026, 3, 9, 8, 30)},
		{"a ticket created on Freedom Day starts counting the next day", officeHours(t), at(2026, 4, 27, 9, 0), 2 * time.Hour, at(2026, 4, 28, 10, 0)},
		{"a ticket created before Easter skips Good Friday and Family Day", officeHours(t), at(2026, 4, 2, 16, 0), 2 * time.Hour, at(2026, 4, 7, 9, 0)},
		{"Women's Day on a Sunday is observed on the Monday", officeHours(t), at(2026, 8, 7, 16, 0), 3 * time.Hour, at(2026, 8, 11, 10, 0)},
		{"New Year's Day 2023 on a Sunday is observed on Monday 2 January", officeHours(t), at(2022, 12, 30, 16, 0), 2 * time.Hour, at(2023, 1, 3, 9, 0)},
		{"a ticket created on New Year's Eve skips New Year's Day", officeHours(t), at(2025, 12, 31, 16, 0), 3 * time.Hour, at(2026, 1, 2, 10, 0)},
		{"a declared holiday is skipped", officeHours(t, election), at(2026, 11, 3, 16, 0), 2 * time.Hour, at(2026, 11, 5, 9, 0)},
		{"a deadline landing exactly on closing time stays on that day", officeHours(t), at(2026, 3, 9, 8, 0), 9 * time.Hour, at(2026, 3, 9, 17, 0)},
		{"an interval ending at 24:00 runs into the next day's 00:00 interval", nightShift, at(2026, 3, 9, 23, 0), 2 * time.Hour, at(2026, 3, 10, 1, 0)},
		{"a 24x7 calendar adds wall time", calendar.AlwaysOpen(), at(2026, 12, 24, 23, 0), 3 * time.Hour, at(2026, 12, 25, 2, 0)},
		{"a zero duration returns the start", officeHours(t), at(2026, 3, 7, 10, 0), 0, at(2026, 3, 7, 10, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.cal.AddBusiness(tt.start, tt.add)
			require.True(t, tt.want.Equal(got), "want %s got %s", tt.want, got.In(loc))
			if tt.add > 0 {
				require.Equal(t, tt.add, tt.cal.BusinessBetween(tt.start, got))
			}
		})
	}
}

func TestBusinessBetweenInvertsAddBusiness(t *testing.T) {
	t.Parallel()
	loc := johannesburg(t)
	split := []calendar.Interval{
		{Weekday: time.Monday, Start: 7*60 + 30, End: 12 * 60}, {Weekday: time.Monday, Start: 13 * 60, End: 16*60 + 15},
		{Weekday: time.Wednesday, Start: 0, End: 1440}, {Weekday: time.Saturday, Start: 9 * 60, End: 11 * 60},
	}
	splitCal, err := calendar.New(loc, split, true, []calendar.Date{{Year: 2026, Month: time.June, Day: 17}})
	require.NoError(t, err)
	cals := map[string]*calendar.Calendar{"office": officeHours(t), "split": splitCal, "24x7": calendar.AlwaysOpen()}
	rng := rand.New(rand.NewSource(20260101))
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, loc)
	for name, cal := range cals {
		for i := range 2000 {
			start := base.Add(time.Duration(rng.Int63n(int64(4 * 365 * 24 * time.Hour))))
			d := time.Duration(rng.Int63n(int64(400 * time.Hour))).Round(time.Second)
			end := cal.AddBusiness(start, d)
			require.Equal(t, d, cal.BusinessBetween(start, end), "%s case %d: start %s + %s = %s", name, i, start, d, end)
			require.False(t, end.Before(start))
		}
	}
}

func TestEasterFollowsTheGregorianComputus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		year int
		want string
	}{
		{"Easter 2000 is on 23 April", 2000, "2000-04-23"},
		{"Easter 2019 is on 21 April", 2019, "2019-04-21"},
		{"Easter 2024 is on 31 March", 2024, "2024-03-31"},
		{"Easter 2025 is on 20 April", 2025, "2025-04-20"},
		{"Easter 2026 is on 5 April", 2026, "2026-04-05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, calendar.Easter(tt.year).String())
		})
	}
}

func TestSouthAfricanHolidaysAreObservedOnMondays(t *testing.T) {
	t.Parallel()
	hs := calendar.SouthAfricanHolidays(2022)
	var dates []string
	for _, h := range hs {
		dates = append(dates, h.Date.String())
	}
	// 2022: Heritage Day is on a Saturday (not moved), 25 Dec on a Sunday with
	// 26 Dec already a holiday (no extra day), 1 May on a Sunday -> 2 May.
	require.Equal(t, []string{"2022-01-01", "2022-03-21", "2022-04-15", "2022-04-18", "2022-04-27", "2022-05-01", "2022-05-02",
		"2022-06-16", "2022-08-09", "2022-09-24", "2022-12-16", "2022-12-25", "2022-12-26"}, dates)
	require.Equal(t, "Workers' Day (observed)", hs[6].Name)
}

func TestNewRefusesACalendarWithoutWorkingTime(t *testing.T) {
	t.Parallel()
	_, err := calendar.New(johannesburg(t), nil, true, nil)
	require.Error(t, err)
	_, err = calendar.New(johannesburg(t), []calendar.Interval{{Weekday: time.Monday, Start: 600, End: 600}}, true, nil)
	require.Error(t, err)
}
