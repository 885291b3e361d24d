package domain

import (
	"time"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/vocab/word"
)

// ClocksVisible reports whether c may see a ticket's clocks: there are
// some (the query's tenant filter and row-level security left them), and
// a GBV ticket's only to those who may see GBV (the tenant's SAPS liaison
// and the services).
func ClocksVisible(c access.Caller, clocks []Clock) bool {
	return len(clocks) > 0 && (clocks[0].Category != word.CategoryGBV || c.CanSeeGBV())
}

// ComplianceCounts are the clock counts of one category and clock kind.
type ComplianceCounts struct {
	Category    string
	Kind        string
	MetOnTime   int
	MetLate     int
	OpenOverdue int
	OpenOnTrack int
}

// ComplianceRow is one category's figures: resolution clocks met on time,
// late, open and overdue, open on track, their on-time ratio, and the
// response clocks' on-time ratio.
type ComplianceRow struct {
	Category             string
	MetOnTime, MetLate   int
	OpenOverdue, OnTrack int
	OnTimeRatio          float64
	ResponseOnTimeRatio  float64
}

// ratio is on-time / (on-time + late + open overdue), 1 with nothing to count.
func ratio(c ComplianceCounts) float64 {
	d := c.MetOnTime + c.MetLate + c.OpenOverdue
	if d == 0 {
		return 1
	}
	return float64(c.MetOnTime) / float64(d)
}

// Compliance folds the counts per category and clock kind into one row per
// category, in the order the categories first appear.
func Compliance(counts []ComplianceCounts) []ComplianceRow {
	var rows []ComplianceRow
	byCat := map[string]int{}
	for _, c := range counts {
		i, ok := byCat[c.Category]
		if !ok {
			i = len(rows)
			byCat[c.Category] = i
			rows = append(rows, ComplianceRow{Category: c.Category, OnTimeRatio: 1, ResponseOnTimeRatio: 1})
		}
		if c.Kind == ClockResponse {
			rows[i].ResponseOnTimeRatio = ratio(c)
			continue
		}
		rows[i].MetOnTime, rows[i].MetLate, rows[i].OpenOverdue, rows[i].OnTrack = c.MetOnTime, c.MetLate, c.OpenOverdue, c.OpenOnTrack
		rows[i].OnTimeRatio = ratio(c)
	}
	return rows
}

// ClockSegment is a stored segment with the clock it belongs to.
type ClockSegment struct {
	ClockKind string
	Cycle     int
	Segment
}

// ClockExplanation is a clock with the segments its elapsed time is made of,
// oldest first; the running segment, measured up to the explanation's time,
// is last.
type ClockExplanation struct {
	Clock    Clock
	Segments []Segment
}

// Explain puts each clock with its closed segments and, when it is
// counting, its running segment measured up to now on its calendar version.
func Explain(clocks []Clock, segs []ClockSegment, now time.Time, cals Calendars) []ClockExplanation {
	out := make([]ClockExplanation, 0, len(clocks))
	for _, c := range clocks {
		e := ClockExplanation{Clock: c}
		for _, sg := range segs {
			if sg.ClockKind == c.Kind && sg.Cycle == c.Cycle {
				e.Segments = append(e.Segments, sg.Segment)
			}
		}
		if open, ok := c.OpenSegment(now, cals.Of(c.Calendar())); ok {
			e.Segments = append(e.Segments, open)
		}
		out = append(out, e)
	}
	return out
}

// CalendarRefs are the calendar versions clocks count on.
func CalendarRefs(clocks ...Clock) []CalendarRef {
	refs := make([]CalendarRef, 0, len(clocks))
	for _, c := range clocks {
		refs = append(refs, c.Calendar())
	}
	return refs
}
