package domain

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/salga/trustengine/libs/apperr"
)

// SAST is South African Standard Time. South Africa keeps UTC+2 all year
// (no daylight saving since 1944), so reports' days are fixed offsets and
// need no time-zone database.
var SAST = time.FixedZone("SAST", 2*60*60)

// Period is a reporting period of whole days in South African time: a
// month, a quarter of the municipal financial year (July to June, Q1 July
// to September) or a financial year.
type Period struct {
	// Label is the period as asked: `2026-07`, `2026/27-Q1` or `2026/27`.
	Label string
	// Start is the first day and End the day after the last, as dates at
	// midnight UTC (the calendar date, whatever the zone).
	Start, End time.Time
}

var (
	monthRe   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	quarterRe = regexp.MustCompile(`^(\d{4})/(\d{2})(?:-Q([1-4]))?$`)
)

// ParsePeriod reads a period label; field names it in the error.
func ParsePeriod(s, field string) (Period, error) {
	const rule = "must be a month (2026-07), a financial-year quarter (2026/27-Q1) or a financial year (2026/27)"
	if m := monthRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if y < 2000 || y > 2200 || mo < 1 || mo > 12 {
			return Period{}, apperr.Invalid(field, rule)
		}
		start := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
		return Period{Label: s, Start: start, End: start.AddDate(0, 1, 0)}, nil
	}
	if m := quarterRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		next, _ := strconv.Atoi(m[2])
		if y < 2000 || y > 2200 || next != (y+1)%100 {
			return Period{}, apperr.Invalid(field, rule+"; the second year follows the first")
		}
		start := time.Date(y, time.July, 1, 0, 0, 0, 0, time.UTC)
		if m[3] == "" {
			return Period{Label: s, Start: start, End: start.AddDate(1, 0, 0)}, nil
		}
		q, _ := strconv.Atoi(m[3])
		start = start.AddDate(0, 3*(q-1), 0)
		return Period{Label: s, Start: start, End: start.AddDate(0, 3, 0)}, nil
	}
	return Period{}, apperr.Invalid(field, rule)
}

// QuarterOf is the financial-year quarter a date falls in.
func QuarterOf(day time.Time) Period {
	y, m := day.Year(), day.Month()
	fy := y
	if m < time.July {
		fy = y - 1
	}
	q := (int(m)-int(time.July)+12)%12/3 + 1
	p, _ := ParsePeriod(fmt.Sprintf("%d/%02d-Q%d", fy, (fy+1)%100, q), "period")
	return p
}

// MonthOf is the calendar month a date falls in.
func MonthOf(day time.Time) Period {
	p, _ := ParsePeriod(day.Format("2006-01"), "period")
	return p
}

// StartTime is the instant the period starts in South African time.
func (p Period) StartTime() time.Time { return Midnight(p.Start) }

// EndTime is the instant the period ends in South African time.
func (p Period) EndTime() time.Time { return Midnight(p.End) }

// Midnight is the start of date day in South African time.
func Midnight(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, SAST)
}

// DayOf is the date of instant t in South African time, at midnight UTC.
func DayOf(t time.Time) time.Time {
	l := t.In(SAST)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// Date formats a day as YYYY-MM-DD.
func Date(day time.Time) string { return day.Format(time.DateOnly) }
