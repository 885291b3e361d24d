package domain

import (
	"fmt"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/vocab/word"
)

// RouteQuery is what the routing rules search: the teams of tenant that
// may take a ticket of category at the point (Lat, Lng).
type RouteQuery struct {
	Tenant   string
	Category Category
	Lat, Lng float64
	// At is when the ticket was created: the ward boundary version in
	// force then names its ward (zero: now).
	At time.Time
}

// WardTime is when q's ward is looked up: At, or now when At is unset or
// later than now (a clock ahead of the database's).
func (q RouteQuery) WardTime(now time.Time) time.Time {
	if q.At.IsZero() || q.At.After(now) {
		return now
	}
	return q.At
}

// Candidates is what the routing rules found for a point, in one search.
type Candidates struct {
	// Teams are the eligible teams of the first rule that found any, best
	// first; empty means the ticket goes to triage.
	Teams []Candidate
	// Reason names that rule: geospatial_routing (areas covering the
	// point) or fallback_nearest (the nearest areas, else teams without an
	// area).
	Reason Reason
}

// Decide chooses the best of the candidates; with none the ticket goes to
// triage. When the chosen team has members, the use case gives the ticket
// to the least loaded one (NeedsMember) before Explain.
func Decide(c Candidates) Decision {
	d := Decision{Reason: word.ReasonTriage}
	if len(c.Teams) > 0 {
		d.Candidates = c.Teams
		d.Choose(0, c.Reason)
	}
	d.InCoverageGap = d.Reason != word.ReasonGeospatial
	return d
}

// NeedsMember reports whether the decision's team has members, one of
// whom takes the ticket.
func (d Decision) NeedsMember() bool { return d.TeamID != "" && d.Candidates[0].HasMembers }

// Candidate is one team a routing decision considered.
type Candidate struct {
	TeamID         string  `json:"team_id"`
	TeamName       string  `json:"team_name"`
	ContainsPoint  bool    `json:"contains_point"`
	DistanceMeters float64 `json:"distance_meters"`
	AreaSqKm       float64 `json:"area_sq_km"`
	Chosen         bool    `json:"chosen"`
	// HasMembers says whether the team has people to assign; not stored
	// with the decision.
	HasMembers bool `json:"-"`
}

// Decision is the outcome of the routing rules for a point and category.
type Decision struct {
	TeamID      string      `json:"team_id"`
	TeamName    string      `json:"team_name"`
	PersonID    string      `json:"person_id"`
	Reason      Reason      `json:"reason"`
	Explanation string      `json:"explanation"`
	Candidates  []Candidate `json:"candidates"`
	// InCoverageGap says that no eligible team's area covers the point:
	// the ticket falls back to the nearest team or waits in triage.
	InCoverageGap bool `json:"in_coverage_gap"`
	// WardCode is the ward containing the point in the boundary set in
	// force when the decision was made ("" when none).
	WardCode string `json:"ward_code"`
}

// Choose marks candidate i as chosen and fills the team of the decision.
func (d *Decision) Choose(i int, reason Reason) {
	d.Candidates[i].Chosen = true
	d.TeamID = d.Candidates[i].TeamID
	d.TeamName = d.Candidates[i].TeamName
	d.Reason = reason
}

// Explain writes the operator-facing sentence for the decision, naming the
// rule that chose the team.
func (d *Decision) Explain(category Category) {
	kind := fmt.Sprintf("%s team", category)
	if category == word.CategoryGBV {
		// GBV goes only to police liaison teams whatever their category.
		kind = "SAPS liaison team"
	}
	var b strings.Builder
	switch d.Reason {
	case word.ReasonGeospatial:
		contained := 0
		for _, c := range d.Candidates {
			if c.ContainsPoint {
				contained++
			}
		}
		fmt.Fprintf(&b, "Routed to %s: its service area contains the point", d.TeamName)
		if contained > 1 {
			fmt.Fprintf(&b, " and is the smallest of the %d %s areas that do (ties by team id)", contained, kind)
		}
	case word.ReasonFallbackNearest:
		var dist float64
		for _, c := range d.Candidates {
			if c.Chosen {
				dist = c.DistanceMeters
			}
		}
		if dist > 0 {
			fmt.Fprintf(&b, "No %s area contains the point, which lies in a coverage gap; routed to the nearest, %s, %.0f m away", kind, d.TeamName, dist)
		} else {
			fmt.Fprintf(&b, "No %s has a service area, so the point lies in a coverage gap; routed to %s (first by id)", kind, d.TeamName)
		}
	default:
		fmt.Fprintf(&b, "No active %s exists in the municipality, so the point lies in a coverage gap; the ticket waits in the triage queue", kind)
	}
	if d.PersonID != "" {
		fmt.Fprintf(&b, "; given to member %s, who has the fewest open tickets", d.PersonID)
	}
	if d.WardCode != "" {
		fmt.Fprintf(&b, "; the point is in ward %s of the boundaries in force", d.WardCode)
	}
	b.WriteString(".")
	d.Explanation = b.String()
}
