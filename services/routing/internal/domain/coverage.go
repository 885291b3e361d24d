package domain

import (
	"fmt"

	"github.com/salga/trustengine/libs/vocab/word"
)

// CoverageRequest asks how the active teams of a category cover a
// municipality (RoutingService.GetCoverage).
type CoverageRequest struct {
	Tenant   string
	Category Category
}

// Validate refuses a request without a category.
func (r CoverageRequest) Validate() error { return checkCategory(r.Category, "category") }

// Coverage is how the active teams of one category cover a municipality:
// for GBV the active SAPS teams of any category, for the others the active
// non-SAPS teams of the category, as routing considers them. Areas are
// measured on the spheroid, in square kilometres.
type Coverage struct {
	Tenant               string
	Category             Category
	MunicipalityAreaSqKm float64
	// TeamCount is the number of teams measured (those with an area).
	TeamCount int
	// Gap is the GeoJSON MultiPolygon of the municipality no team covers,
	// "" when the teams cover all of it.
	Gap         string
	GapAreaSqKm float64
	GapParts    int
	Overlaps    []Overlap
}

// GapPercent is the gap's share of the municipality's area, 0 to 100.
func (c Coverage) GapPercent() float64 {
	if c.MunicipalityAreaSqKm <= 0 {
		return 0
	}
	return min(100, 100*c.GapAreaSqKm/c.MunicipalityAreaSqKm)
}

// OverlapTeam is one of the two teams of an overlap.
type OverlapTeam struct {
	ID       string
	Name     string
	AreaSqKm float64
	Chosen   bool
}

// Overlap is where the service areas of two teams of the category overlap.
type Overlap struct {
	// Teams are the two teams, the one routing chooses in the overlap
	// first (after Resolve).
	Teams    [2]OverlapTeam
	Area     string
	AreaSqKm float64
	TieBreak string
}

// Resolve orders the two teams as routing's covering search does (the
// smallest service area first, then the team id: routing.covering_teams
// orders by area_sq_km, id and Decide takes the first), marks the chosen
// one and writes the rule as a sentence.
func (o *Overlap) Resolve(category Category) {
	a, b := o.Teams[0], o.Teams[1]
	if b.AreaSqKm < a.AreaSqKm || (b.AreaSqKm == a.AreaSqKm && b.ID < a.ID) {
		a, b = b, a
	}
	a.Chosen, b.Chosen = true, false
	o.Teams = [2]OverlapTeam{a, b}
	kind := fmt.Sprintf("%s teams", category)
	if category == word.CategoryGBV {
		kind = "SAPS liaison teams"
	}
	if a.AreaSqKm == b.AreaSqKm {
		o.TieBreak = fmt.Sprintf("Where %s overlap, the smallest service area wins, then the lowest team id: "+
			"both areas are %.3f km², so %s (id %s) takes tickets here before %s (id %s).",
			kind, a.AreaSqKm, a.Name, a.ID, b.Name, b.ID)
		return
	}
	o.TieBreak = fmt.Sprintf("Where %s overlap, the smallest service area wins, then the lowest team id: "+
		"%s (%.3f km²) takes tickets here before %s (%.3f km²).", kind, a.Name, a.AreaSqKm, b.Name, b.AreaSqKm)
}
