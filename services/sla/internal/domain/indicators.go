package domain

import (
	"slices"
	"time"

	"github.com/salga/trustengine/libs/vocab/word"
)

// The standards an indicator measures against.
const (
	// Standard24h is 24 hours of wall-clock time from the report, as
	// Circular 88 words the water and sanitation callout indicators.
	Standard24h = "24h_wall_clock"
	// StandardPolicy is the municipality's SLA policy in force while the
	// clock ran, on the policy's calendar (paused time excluded).
	StandardPolicy = "sla_policy"
	// StandardResponded is any first response recorded in the system.
	StandardResponded = "responded"
)

// Indicator is one MFMA Circular 88 output indicator the suite computes
// from its clocks. The denominator is every ticket of its categories
// reported in the period and not cancelled; the numerator those that met
// the standard.
type Indicator struct {
	Code, Name, Definition string
	Categories             []string
	// Clock is the clock measured (ClockResponse or ClockResolution).
	Clock    string
	Standard string
	// StandardHours is the hours of a fixed standard (0 for the policy's).
	StandardHours float64
}

// nonGBV is every category a complaint may be, GBV excepted: GBV reports
// are not municipal complaints and never leave the SAPS liaison's view.
var nonGBV = []string{word.CategoryWater, word.CategoryRoads, word.CategoryElectricity, word.CategoryWaste,
	word.CategorySanitation, word.CategoryOther}

// Indicators is the catalogue, ordered by code.
var Indicators = []Indicator{
	{Code: "EE3.11", Name: "Unplanned outages restored within the standard timeframe",
		Definition: "Percentage of unplanned electricity outages (tickets of category electricity reported in the period, " +
			"not cancelled) restored to supply within the municipality's SLA resolution time in force, every resolution " +
			"cycle on time (a reopened ticket must be restored on time again)",
		Categories: []string{word.CategoryElectricity}, Clock: ClockResolution, Standard: StandardPolicy},
	{Code: "GG2.31", Name: "Official complaints responded to through the complaint management system",
		Definition: "Percentage of complaints (tickets of every category but GBV reported in the period, not cancelled) " +
			"that received a first response recorded in the system",
		Categories: nonGBV, Clock: ClockResponse, Standard: StandardResponded},
	{Code: "TR6.21", Name: "Reported pothole complaints resolved within the standard municipal response time",
		Definition: "Percentage of roads complaints reported in the period (not cancelled) resolved within the " +
			"municipality's SLA resolution time in force, every resolution cycle on time",
		Categories: []string{word.CategoryRoads}, Clock: ClockResolution, Standard: StandardPolicy},
	{Code: "WS3.11", Name: "Sanitation and wastewater callouts responded to within 24 hours",
		Definition: "Percentage of sanitation callouts reported in the period (not cancelled) with a first response " +
			"within 24 hours of wall-clock time of the report",
		Categories: []string{word.CategorySanitation}, Clock: ClockResponse, Standard: Standard24h, StandardHours: 24},
	{Code: "WS3.21", Name: "Water callouts responded to within 24 hours",
		Definition: "Percentage of water callouts reported in the period (not cancelled) with a first response within " +
			"24 hours of wall-clock time of the report",
		Categories: []string{word.CategoryWater}, Clock: ClockResponse, Standard: Standard24h, StandardHours: 24},
}

// IndicatorByCode finds an indicator of the catalogue.
func IndicatorByCode(code string) (Indicator, bool) {
	i := slices.IndexFunc(Indicators, func(in Indicator) bool { return in.Code == code })
	if i < 0 {
		return Indicator{}, false
	}
	return Indicators[i], true
}

// Within24h is the wall-clock standard of the 24-hour indicators.
const Within24h = 24 * time.Hour

// Indicator statuses.
const (
	StatusComplete = "complete"
	StatusLateData = "late_data"
	StatusNoData   = "no_data"
)

// IndicatorValue is an indicator over a period (and group).
type IndicatorValue struct {
	Code   string
	Tenant string
	Period Period
	Group  Group
	// Numerator and Denominator count tickets; Pending those of the
	// denominator whose outcome is not known yet.
	Numerator, Denominator, Pending int64
	// Percentage is set only when there is data (HasPercentage).
	Percentage    float64
	HasPercentage bool
	Status        string
}

// Settle sets the percentage and the status: no data without a
// denominator (never 0 %), late data while the period runs or outcomes are
// pending, complete otherwise.
func (v *IndicatorValue) Settle(now time.Time) {
	switch {
	case v.Denominator == 0:
		v.Status = StatusNoData
		return
	case now.Before(v.Period.EndTime()) || v.Pending > 0:
		v.Status = StatusLateData
	default:
		v.Status = StatusComplete
	}
	v.Percentage, v.HasPercentage = Pct(v.Numerator, v.Denominator)
}

// Pct is n/d x 100, unset when d is 0.
func Pct(n, d int64) (float64, bool) {
	if d == 0 {
		return 0, false
	}
	return float64(n) * 100 / float64(d), true
}

// Numerator is how many of c's tickets met the indicator's standard.
func (in Indicator) Numerator(c DailyCounts) int64 {
	switch in.Standard {
	case Standard24h:
		return c.Responded24h
	case StandardResponded:
		return c.Responded
	}
	return c.ResolutionMet
}

// Denominator is how many of c's tickets the indicator counts.
func (in Indicator) Denominator(c DailyCounts) int64 { return c.Tickets - c.Cancelled }

// Pending is how many of c's tickets have no outcome yet under the
// indicator's standard; unanswered24h is the count of tickets reported
// less than 24 hours ago without a response (the only pending ones of the
// 24-hour standard).
func (in Indicator) Pending(c DailyCounts, unanswered24h int64) int64 {
	switch in.Standard {
	case Standard24h:
		return unanswered24h
	case StandardResponded:
		return c.ResponsePending
	}
	return c.ResolutionPending
}

// Meets reports whether the ticket counts in the indicator's numerator.
func (r ReportTicket) Meets(in Indicator) bool {
	switch in.Standard {
	case Standard24h:
		return r.Responded24h()
	case StandardResponded:
		return !r.RespondTime.IsZero()
	}
	return r.ResolutionMet
}

// PendingFor reports whether the ticket's outcome under the indicator is
// not known yet at now.
func (r ReportTicket) PendingFor(in Indicator, now time.Time) bool {
	switch in.Standard {
	case Standard24h:
		return r.RespondTime.IsZero() && now.Sub(r.CreateTime) < Within24h
	case StandardResponded:
		return r.ResponsePending
	}
	return r.ResolutionPending
}

// SmallCell is the fewest GBV tickets a ward-level cell may show: fewer
// could identify the people involved, so such cells are withheld from
// everyone, the SAPS liaison included.
const SmallCell = 5

// Suppressed reports whether a row must be withheld: a GBV row of a report
// grouped by ward with fewer than SmallCell tickets.
func Suppressed(gbv bool, dims []Dimension, tickets int64) bool {
	return gbv && slices.Contains(dims, DimWard) && tickets < SmallCell
}
