// Package calendar does the working-time arithmetic of SLA clocks: adding a
// working duration to an instant and measuring the working time between two
// instants, on 24x7 or business-hours calendars with South African public
// holidays and declared one-off holidays.
//
// Both operations walk the working intervals day by day (whole non-working
// days are skipped with one map look-up), never minute by minute, so a year of
// working time costs a few hundred steps.
package calendar

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// DefaultTimeZone is the zone of calendars that name none.
const DefaultTimeZone = "Africa/Johannesburg"

// maxWalkDays bounds a walk so a calendar with (almost) no working time can
// never spin: 8760 working hours at one minute a week is far beyond any target.
const maxWalkDays = 366 * 200

// Interval is working time on one weekday, in minutes after local midnight:
// [Start, End) with End up to 1440 (`24:00`).
type Interval struct {
	// Weekday the interval applies to.
	Weekday time.Weekday
	// Start minute, 0 to 1439.
	Start int
	// End minute, Start+1 to 1440.
	End int
}

// Calendar says when clocks run. The zero value is not usable; build one with
// AlwaysOpen or New.
type Calendar struct {
	always   bool
	loc      *time.Location
	days     [7][]Interval
	saHols   bool
	declared map[Date]bool
}

// AlwaysOpen is the 24x7 calendar: working time equals wall time.
func AlwaysOpen() *Calendar { return &Calendar{always: true, loc: time.UTC} }

// New builds a business-hours calendar. Overlapping or touching intervals of a
// day are merged. It fails when there is no working interval at all, since
// no deadline could ever be reached.
func New(loc *time.Location, intervals []Interval, southAfricanHolidays bool, declared []Date) (*Calendar, error) {
	if loc == nil {
		return nil, errors.New("calendar.New: nil location")
	}
	c := &Calendar{loc: loc, saHols: southAfricanHolidays, declared: map[Date]bool{}}
	for _, iv := range intervals {
		if iv.Start < 0 || iv.End > 1440 || iv.Start >= iv.End || iv.Weekday < time.Sunday || iv.Weekday > time.Saturday {
			return nil, fmt.Errorf("calendar.New: bad interval %+v", iv)
		}
		c.days[iv.Weekday] = append(c.days[iv.Weekday], iv)
	}
	total := 0
	for wd := range c.days {
		c.days[wd] = merge(c.days[wd])
		total += len(c.days[wd])
	}
	if total == 0 {
		return nil, errors.New("calendar.New: no working interval")
	}
	for _, d := range declared {
		c.declared[d] = true
	}
	return c, nil
}

func merge(ivs []Interval) []Interval {
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].Start < ivs[j].Start })
	var out []Interval
	for _, iv := range ivs {
		if n := len(out); n > 0 && iv.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, iv.End)
			continue
		}
		out = append(out, iv)
	}
	return out
}

// IsAlwaysOpen reports whether the calendar is 24x7.
func (c *Calendar) IsAlwaysOpen() bool { return c.always }

// workingIntervals returns the working periods of local date d as instants,
// or nil on a non-working day.
func (c *Calendar) workingIntervals(d Date) [][2]time.Time {
	ivs := c.days[d.Weekday()]
	if len(ivs) == 0 || c.declared[d] || (c.saHols && IsSouthAfricanHoliday(d)) {
		return nil
	}
	out := make([][2]time.Time, 0, len(ivs))
	for _, iv := range ivs {
		// time.Date normalises 24:00 to the next midnight, and resolves a
		// local time inside a DST gap deterministically.
		s := time.Date(d.Year, d.Month, d.Day, iv.Start/60, iv.Start%60, 0, 0, c.loc)
		e := time.Date(d.Year, d.Month, d.Day, iv.End/60, iv.End%60, 0, 0, c.loc)
		out = append(out, [2]time.Time{s, e})
	}
	return out
}

// AddBusiness returns the instant at which d of working time has passed since
// t. A non-positive d returns t unchanged.
func (c *Calendar) AddBusiness(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	if c.always {
		return t.Add(d)
	}
	day := DateOf(t.In(c.loc))
	for range maxWalkDays {
		for _, iv := range c.workingIntervals(day) {
			if !iv[1].After(t) {
				continue
			}
			from := iv[0]
			if t.After(from) {
				from = t
			}
			if avail := iv[1].Sub(from); d <= avail {
				return from.Add(d)
			} else {
				d -= avail
			}
		}
		day = day.AddDays(1)
	}
	// Unreachable with a validated calendar and a bounded target; answer
	// "never" in a way that still sorts after every real deadline.
	return t.AddDate(200, 0, 0)
}

// BusinessBetween returns the working time in [a, b); zero when b is not after a.
func (c *Calendar) BusinessBetween(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	if c.always {
		return b.Sub(a)
	}
	var total time.Duration
	last := DateOf(b.In(c.loc))
	for day := DateOf(a.In(c.loc)); ; day = day.AddDays(1) {
		for _, iv := range c.workingIntervals(day) {
			s, e := iv[0], iv[1]
			if s.Before(a) {
				s = a
			}
			if e.After(b) {
				e = b
			}
			if e.After(s) {
				total += e.Sub(s)
			}
		}
		if day == last {
			return total
		}
	}
}
