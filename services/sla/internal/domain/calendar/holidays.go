package calendar

import (
	"sort"
	"sync"
	"time"
)

// Holiday is one public holiday as observed on a civil date.
type Holiday struct {
	// Date is the observed civil date (midnight UTC carrying year, month, day).
	Date Date
	// Name is the holiday's name; a Sunday holiday moved to the Monday is named
	// "<name> (observed)".
	Name string
}

// Date is a civil date without a time zone.
type Date struct {
	// Year, e.g. 2026.
	Year int
	// Month, 1 to 12.
	Month time.Month
	// Day of the month, 1 to 31.
	Day int
}

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// String renders the date as YYYY-MM-DD.
func (d Date) String() string {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, err
	}
	return DateOf(t), nil
}

// Weekday is the day of the week of the date.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Weekday()
}

// AddDays returns the date n days later (earlier when n is negative).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC))
}

// fixedHolidays are the dated holidays of the Public Holidays Act 36 of 1994.
var fixedHolidays = []struct {
	month time.Month
	day   int
	name  string
}{
	{time.January, 1, "New Year's Day"},
	{time.March, 21, "Human Rights Day"},
	{time.April, 27, "Freedom Day"},
	{time.May, 1, "Workers' Day"},
	{time.June, 16, "Youth Day"},
	{time.August, 9, "National Women's Day"},
	{time.September, 24, "Heritage Day"},
	{time.December, 16, "Day of Reconciliation"},
	{time.December, 25, "Christmas Day"},
	{time.December, 26, "Day of Goodwill"},
}

// Easter returns Easter Sunday of year by the anonymous Gregorian algorithm
// (Meeus/Jones/Butcher).
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{Year: year, Month: time.Month(month), Day: day}
}

// SouthAfricanHolidays returns the public holidays of year in date order, as
// observed: a holiday on a Sunday is also observed on the Monday after it
// (section 2(1) of the Act), unless that Monday is already a holiday.
func SouthAfricanHolidays(year int) []Holiday {
	easter := Easter(year)
	hs := []Holiday{
		{Date: easter.AddDays(-2), Name: "Good Friday"},
		{Date: easter.AddDays(1), Name: "Family Day"},
	}
	for _, f := range fixedHolidays {
		hs = append(hs, Holiday{Date: Date{Year: year, Month: f.month, Day: f.day}, Name: f.name})
	}
	taken := make(map[Date]bool, len(hs))
	for _, h := range hs {
		taken[h.Date] = true
	}
	for _, h := range hs {
		if h.Date.Weekday() != time.Sunday {
			continue
		}
		monday := h.Date.AddDays(1)
		if !taken[monday] {
			taken[monday] = true
			hs = append(hs, Holiday{Date: monday, Name: h.Name + " (observed)"})
		}
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].Date.String() < hs[j].Date.String() })
	return hs
}

// holidayYears caches the observed holiday set of each year: deadline walks ask
// about the same few years over and over.
var holidayYears sync.Map // int -> map[Date]bool

// IsSouthAfricanHoliday reports whether d is an observed public holiday.
func IsSouthAfricanHoliday(d Date) bool {
	v, ok := holidayYears.Load(d.Year)
	if !ok {
		set := map[Date]bool{}
		for _, h := range SouthAfricanHolidays(d.Year) {
			set[h.Date] = true
		}
		v, _ = holidayYears.LoadOrStore(d.Year, set)
	}
	return v.(map[Date]bool)[d]
}
