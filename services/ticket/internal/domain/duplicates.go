package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
)

// Nearby limits and defaults.
const (
	// MaxNearbyMeters is the largest radius ListNearbyTickets accepts.
	MaxNearbyMeters = 5000
	// ResidentNearbyMeters and StaffNearbyMeters are the radii of a
	// municipality that set none for a category.
	ResidentNearbyMeters = 250
	StaffNearbyMeters    = 1000
	// DefaultNearbySize and MaxNearbySize bound how many tickets it returns.
	DefaultNearbySize = 5
	MaxNearbySize     = 50
	// RecentlyResolved is how long a resolved ticket still shows nearby.
	RecentlyResolved = 30 * 24 * time.Hour
	// MaxPriorityKeywords bounds a municipality's keyword list.
	MaxPriorityKeywords = 200
)

// History entry kinds of duplicates, followers and priorities.
const (
	HistoryDuplicateLinked   = "duplicate_linked"
	HistoryDuplicateAdded    = "duplicate_added"
	HistoryDuplicateUnlinked = "duplicate_unlinked"
	HistoryDuplicateRemoved  = "duplicate_removed"
	HistoryFollowed          = "followed"
	HistoryPriorityChanged   = "priority_changed"
)

// NearbyQuery asks for a category's tickets near a point.
type NearbyQuery struct {
	Tenant   string
	Location *Point
	Category Category
	// Meters is the radius asked for; 0 uses the municipality's.
	Meters float64
	Size   int
}

// Validate refuses a malformed query, naming every field, and applies the
// default size.
func (q *NearbyQuery) Validate() error {
	var vs []apperr.FieldViolation
	if q.Location == nil {
		vs = append(vs, apperr.FieldViolation{Field: "location", Rule: "is required"})
	} else {
		vs = append(vs, PointViolations(*q.Location, "location", true)...)
	}
	if q.Category == "" {
		vs = append(vs, apperr.FieldViolation{Field: "category", Rule: "must be a known category"})
	}
	if !(q.Meters >= 0 && q.Meters <= MaxNearbyMeters) {
		vs = append(vs, apperr.FieldViolation{Field: "radius_meters",
			Rule: fmt.Sprintf("must be between 0 (the municipality's radius) and %d metres", MaxNearbyMeters)})
	}
	if q.Size < 0 || q.Size > MaxNearbySize {
		vs = append(vs, apperr.FieldViolation{Field: "page_size", Rule: fmt.Sprintf("must be between 0 and %d", MaxNearbySize)})
	}
	if len(vs) > 0 {
		return apperr.InvalidFields(vs...)
	}
	if q.Size == 0 {
		q.Size = DefaultNearbySize
	}
	return nil
}

// NearbyTicket is a ticket near a point, without content.
type NearbyTicket struct {
	ID          string
	Reference   string
	Category    Category
	Status      Status
	Location    Point
	Meters      float64
	LinkedCount int32
	CreateTime  time.Time
}

// NearbyRadius is a municipality's radii for one category.
type NearbyRadius struct {
	Category Category `json:"category"`
	Resident float64  `json:"resident"`
	Staff    float64  `json:"staff"`
}

// PriorityKeyword raises the suggested priority of a description holding
// Phrase.
type PriorityKeyword struct {
	Phrase   string   `json:"phrase"`
	Priority Priority `json:"priority"`
}

// DuplicateSettings are a municipality's nearby radii and priority keywords.
type DuplicateSettings struct {
	Tenant   string
	Radii    []NearbyRadius
	Keywords []PriorityKeyword
}

// Validate refuses settings that break a rule, naming the field; phrases
// are trimmed first.
func (s *DuplicateSettings) Validate() error {
	var vs []apperr.FieldViolation
	seen := map[Category]bool{}
	for i, r := range s.Radii {
		f := fmt.Sprintf("settings.radii[%d]", i)
		switch {
		case r.Category == "":
			vs = append(vs, apperr.FieldViolation{Field: f + ".category", Rule: "must be a known category"})
		case r.Category == word.CategoryGBV:
			vs = append(vs, apperr.FieldViolation{Field: f + ".category", Rule: "GBV reports never get nearby suggestions"})
		case seen[r.Category]:
			vs = append(vs, apperr.FieldViolation{Field: f + ".category", Rule: "must not repeat a category"})
		}
		seen[r.Category] = true
		for _, m := range []struct {
			name string
			v    float64
		}{{"resident_meters", r.Resident}, {"staff_meters", r.Staff}} {
			if !(m.v >= 0 && m.v <= MaxNearbyMeters) {
				vs = append(vs, apperr.FieldViolation{Field: f + "." + m.name,
					Rule: fmt.Sprintf("must be between 0 (off) and %d metres", MaxNearbyMeters)})
			}
		}
	}
	if len(s.Keywords) > MaxPriorityKeywords {
		vs = append(vs, apperr.FieldViolation{Field: "settings.keywords", Rule: fmt.Sprintf("must hold at most %d keywords", MaxPriorityKeywords)})
	}
	for i := range s.Keywords {
		k := &s.Keywords[i]
		f := fmt.Sprintf("settings.keywords[%d]", i)
		k.Phrase = strings.TrimSpace(k.Phrase)
		if n := len([]rune(k.Phrase)); n < 2 || n > 100 || strings.ContainsFunc(k.Phrase, isControl) {
			vs = append(vs, apperr.FieldViolation{Field: f + ".phrase", Rule: "must be 2 to 100 characters without control characters"})
		}
		if k.Priority == "" {
			vs = append(vs, apperr.FieldViolation{Field: f + ".priority", Rule: "must be one of PRIORITY_P1_CRITICAL to PRIORITY_P4_LOW"})
		}
	}
	if len(vs) > 0 {
		return apperr.InvalidFields(vs...)
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// RadiusFor is the radius c gets for category under s: the category's
// staff radius for staff and platform admins, its resident radius for
// everyone else (citizens, and API-key clients through the gateway).
func (s DuplicateSettings) RadiusFor(c access.Caller, category Category) float64 {
	a := NearbyAudienceOf(c)
	for _, r := range s.Radii {
		if r.Category == category {
			if a.Staff {
				return r.Staff
			}
			return r.Resident
		}
	}
	return a.Default
}

// NearbyAudience is whose radius a caller gets (RadiusFor): staff's or
// residents'. Key is that radius's name in a stored NearbyRadius, so the
// store can read it where the settings are; Default is the radius when
// the municipality set none for the category.
type NearbyAudience struct {
	Staff   bool
	Key     string
	Default float64
}

// NearbyAudienceOf is c's audience: staff for staff and platform admins,
// residents for everyone else.
func NearbyAudienceOf(c access.Caller) NearbyAudience {
	if c.IsStaff() || c.AllTenants() {
		return NearbyAudience{Staff: true, Key: "staff", Default: StaffNearbyMeters}
	}
	return NearbyAudience{Key: "resident", Default: ResidentNearbyMeters}
}

// categoryGroups are the categories whose tickets may duplicate each
// other: one municipal department answers water and sanitation alike.
var categoryGroups = map[Category]string{
	word.CategoryWater: "water_sanitation", word.CategorySanitation: "water_sanitation",
}

// CategoryGroup is the group of category (its own name unless grouped).
func CategoryGroup(category Category) string {
	if g, ok := categoryGroups[category]; ok {
		return g
	}
	return string(category)
}

// Link is a duplicate link as staff ask for it.
type Link struct {
	ChildID, ParentID string
	Reason            string
}

// Validate refuses a malformed link, naming the field: two ids, not the
// same, and a reason within bounds (trimmed).
func (l *Link) Validate() error {
	if err := CheckID(l.ChildID, "id"); err != nil {
		return err
	}
	if err := CheckID(l.ParentID, "parent_id"); err != nil {
		return err
	}
	if strings.EqualFold(l.ChildID, l.ParentID) {
		return apperr.Invalid("parent_id", "must not be the ticket itself: a ticket cannot duplicate itself")
	}
	l.Reason = strings.TrimSpace(l.Reason)
	if rule := TextRule(l.Reason, MaxReason, false); rule != "" {
		return apperr.Invalid("reason", rule)
	}
	return nil
}

// openWork lists the statuses a ticket may be linked from.
var openWork = []Status{word.StatusOpen, word.StatusInProgress, word.StatusAwaitingCitizen}

// DecideLink rules on linking child to parent, both read under lock:
// neither GBV unless c acts on GBV (NotFound, as for a missing id), the
// same category group, the child open work and no parent itself, the
// parent no duplicate and not closed or cancelled.
func DecideLink(c access.Caller, child, parent Ticket) error {
	if err := MayChange(c, child); err != nil {
		return err
	}
	if err := MayChange(c, parent); err != nil {
		return err
	}
	if child.DuplicateOf != "" {
		return apperr.FailedPrecondition(fmt.Sprintf("ticket %s is already a duplicate of %s; unlink it first", child.Reference, child.DuplicateOf))
	}
	if child.LinkedCount > 0 {
		return apperr.FailedPrecondition(fmt.Sprintf("ticket %s is the parent of %d duplicates; a parent cannot be a duplicate", child.Reference, child.LinkedCount))
	}
	if !slices.Contains(openWork, child.Status) {
		return apperr.FailedPrecondition(fmt.Sprintf("ticket %s is %s; only open, in-progress or awaiting-citizen tickets are closed as duplicates", child.Reference, child.Status))
	}
	if parent.DuplicateOf != "" {
		return apperr.FailedPrecondition(fmt.Sprintf("parent %s is itself a duplicate of %s; link to that ticket instead (no chains or cycles)", parent.Reference, parent.DuplicateOf))
	}
	if parent.Status == word.StatusClosed || parent.Status == word.StatusCancelled {
		return apperr.FailedPrecondition(fmt.Sprintf("parent %s is %s; a duplicate is linked only to a ticket still open or resolved", parent.Reference, parent.Status))
	}
	if CategoryGroup(child.Category) != CategoryGroup(parent.Category) {
		return apperr.FailedPrecondition(fmt.Sprintf("ticket %s (%s) and parent %s (%s) are not in the same category group",
			child.Reference, child.Category, parent.Reference, parent.Category))
	}
	return nil
}

// MayLink says who links and unlinks duplicates: a municipality's staff.
func MayLink(c access.Caller) error {
	if !c.IsStaff() {
		return apperr.PermissionDenied("only municipal staff link duplicates")
	}
	return nil
}

// MayListNearby says who may look for nearby tickets: anyone who may
// report (a person of any role) and the gateway for its API-key clients.
func MayListNearby(c access.Caller) error {
	if c.IsGateway() {
		return nil
	}
	return c.RequirePerson()
}

// AttributeDuplicateOf is the Open311 attribute by which a client files a
// report as a duplicate of an earlier one, and AttributeDuplicateOfField
// how errors name it.
const (
	AttributeDuplicateOf      = "duplicate_of"
	AttributeDuplicateOfField = "attribute[duplicate_of]"
)
