package domain

import (
	"fmt"
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/sla/internal/domain/calendar"
)

// CalendarSpec is a stored calendar's settings.
type CalendarSpec struct {
	ID                   string
	Name                 string
	TimeZone             string
	AlwaysOpen           bool
	Intervals            []IntervalSpec
	SouthAfricanHolidays bool
	DeclaredHolidays     []DeclaredHoliday
	CreateTime           time.Time
	UpdateTime           time.Time
	// Version counts the settings' changes (1 when created).
	Version int64
}

// CalendarVersion is a calendar as it was from EffectiveFrom until the next
// version: clocks measure each stretch of time with the version in force then.
type CalendarVersion struct {
	Spec          CalendarSpec
	EffectiveFrom time.Time
	ChangedBy     string
}

// IntervalSpec is working time on a weekday (1 = Monday ... 7 = Sunday) as
// `HH:MM` strings; End may be `24:00`.
type IntervalSpec struct {
	Weekday int    `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

// DeclaredHoliday is a one-off non-working date (`YYYY-MM-DD`).
type DeclaredHoliday struct {
	Date string `json:"date"`
	Name string `json:"name"`
}

// parseClock reads `HH:MM` into minutes after midnight; `24:00` only when
// allowEnd.
func parseClock(s string, allowEnd bool) (int, bool) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil {
		return 0, false
	}
	if allowEnd && h == 24 && m == 0 {
		return 1440, true
	}
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// WithDefaults fills an empty time zone with calendar.DefaultTimeZone.
func (s CalendarSpec) WithDefaults() CalendarSpec {
	if s.TimeZone == "" {
		s.TimeZone = calendar.DefaultTimeZone
	}
	return s
}

// Validate refuses bad settings, naming every offending field as in the
// contract (calendar.<field>).
func (s CalendarSpec) Validate() error {
	var vs apperr.Violations
	bad := func(f, rule string) { vs.Add("calendar."+f, rule) }
	if s.Name == "" || len(s.Name) > 200 {
		bad("name", "must be 1 to 200 characters")
	}
	if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "" {
		bad("time_zone", "must be an IANA time zone such as Africa/Johannesburg")
	}
	for i, iv := range s.Intervals {
		f := fmt.Sprintf("intervals[%d]", i)
		if iv.Weekday < 1 || iv.Weekday > 7 {
			bad(f+".weekday", "must be set (Monday to Sunday)")
		}
		start, ok1 := parseClock(iv.Start, false)
		end, ok2 := parseClock(iv.End, true)
		switch {
		case !ok1:
			bad(f+".start", "must be HH:MM from 00:00 to 23:59")
		case !ok2:
			bad(f+".end", "must be HH:MM from 00:01 to 24:00")
		case end <= start:
			bad(f+".end", "must be after start")
		}
	}
	if !s.AlwaysOpen && len(s.Intervals) == 0 {
		bad("intervals", "must not be empty unless always_open is set")
	}
	for i, h := range s.DeclaredHolidays {
		if _, err := calendar.ParseDate(h.Date); err != nil {
			bad(fmt.Sprintf("declared_holidays[%d].date", i), "must be a date YYYY-MM-DD")
		}
	}
	return vs.Err()
}

// calendarPaths are the fields an update of a calendar may change.
var calendarPaths = []string{"name", "time_zone", "always_open", "intervals", "south_african_holidays", "declared_holidays"}

// CalendarUpdate changes the fields Paths names of calendar ID to their
// values in Values (an empty time zone is the default one).
type CalendarUpdate struct {
	// ID names the calendar (from the URL path); Values.ID may name it too.
	ID     string
	Paths  []string
	Values CalendarSpec
}

// Resolve settles which calendar the update names (pathID) and refuses an
// update without a calendar id or with a bad mask.
func (u *CalendarUpdate) Resolve() (err error) {
	if u.ID, err = apperr.PathID(u.ID, u.Values.ID, "id", "calendar.id"); err != nil {
		return err
	}
	if err := CheckID(u.ID, "id"); err != nil {
		return err
	}
	return checkMask(u.Paths, calendarPaths)
}

// Apply changes s as the update says and validates the result.
func (u CalendarUpdate) Apply(s *CalendarSpec) error {
	in := u.Values.WithDefaults()
	for _, p := range u.Paths {
		switch p {
		case "name":
			s.Name = in.Name
		case "time_zone":
			s.TimeZone = in.TimeZone
		case "always_open":
			s.AlwaysOpen = in.AlwaysOpen
		case "intervals":
			s.Intervals = in.Intervals
		case "south_african_holidays":
			s.SouthAfricanHolidays = in.SouthAfricanHolidays
		case "declared_holidays":
			s.DeclaredHolidays = in.DeclaredHolidays
		}
	}
	return s.Validate()
}

// Build turns valid settings into the calendar used for arithmetic.
func (s CalendarSpec) Build() (*calendar.Calendar, error) {
	if s.AlwaysOpen {
		return calendar.AlwaysOpen(), nil
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("domain.CalendarSpec.Build: %w", err)
	}
	ivs := make([]calendar.Interval, 0, len(s.Intervals))
	for _, iv := range s.Intervals {
		start, _ := parseClock(iv.Start, false)
		end, _ := parseClock(iv.End, true)
		// Weekday 7 (Sunday) is time.Sunday (0).
		ivs = append(ivs, calendar.Interval{Weekday: time.Weekday(iv.Weekday % 7), Start: start, End: end})
	}
	var declared []calendar.Date
	for _, h := range s.DeclaredHolidays {
		if d, err := calendar.ParseDate(h.Date); err == nil {
			declared = append(declared, d)
		}
	}
	c, err := calendar.New(loc, ivs, s.SouthAfricanHolidays, declared)
	if err != nil {
		return nil, fmt.Errorf("domain.CalendarSpec.Build: %w", err)
	}
	return c, nil
}
