package domain

import (
	"slices"
	"time"
)

// Johannesburg is the time zone of reporters' night hours and of deadlines
// in messages.
var Johannesburg = mustZone("Africa/Johannesburg")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		// The binary embeds the zone database (time/tzdata in main).
		panic("domain: time zone " + name + ": " + err.Error())
	}
	return l
}

// Reporters hear nothing between NightStart and NightEnd (hours, local
// time in Johannesburg) unless their municipality allows it.
const (
	NightStart = 20
	NightEnd   = 7
)

// NotBeforeForReporter is when a reporter's message made at now may go:
// now by day (or when the municipality allows night messages), else 07:00
// the next morning.
func NotBeforeForReporter(now time.Time, atNight bool) time.Time {
	if atNight {
		return now
	}
	l := now.In(Johannesburg)
	if l.Hour() >= NightEnd && l.Hour() < NightStart {
		return now
	}
	day := time.Date(l.Year(), l.Month(), l.Day(), NightEnd, 0, 0, 0, Johannesburg)
	if l.Hour() >= NightStart {
		day = day.AddDate(0, 0, 1)
	}
	return day.UTC()
}

// Interval is working time on one weekday, in minutes from midnight.
type Interval struct {
	Weekday    time.Weekday
	Start, End int
}

// Calendar is a business-hours calendar as the SLA service keeps it.
type Calendar struct {
	Location   *time.Location
	AlwaysOpen bool
	Intervals  []Interval
	// Holidays are non-working dates (YYYY-MM-DD in Location).
	Holidays map[string]bool
}

// horizon bounds the search for the next working minute: a calendar open
// less than once in it is treated as always open, so nothing waits forever.
const horizon = 60

// NotBefore is when a message made at now may go under c: now inside
// working time, else the start of the next working interval.
func (c Calendar) NotBefore(now time.Time) time.Time {
	if c.AlwaysOpen || len(c.Intervals) == 0 {
		return now
	}
	loc := c.Location
	if loc == nil {
		loc = Johannesburg
	}
	l := now.In(loc)
	for d := range horizon {
		day := time.Date(l.Year(), l.Month(), l.Day()+d, 0, 0, 0, 0, loc)
		if c.Holidays[day.Format(time.DateOnly)] {
			continue
		}
		ivs := slices.DeleteFunc(slices.Clone(c.Intervals), func(iv Interval) bool { return iv.Weekday != day.Weekday() })
		slices.SortFunc(ivs, func(a, b Interval) int { return a.Start - b.Start })
		for _, iv := range ivs {
			start, end := day.Add(time.Duration(iv.Start)*time.Minute), day.Add(time.Duration(iv.End)*time.Minute)
			if now.Before(end) {
				if now.Before(start) {
					return start.UTC()
				}
				return now
			}
		}
	}
	return now
}
