// Package word is the suite's shared vocabulary (the enums of
// salga.common.v1) as the services store and reason with it: CategoryGBV
// is "gbv", StatusInProgress "in_progress", ReasonSLABreach "sla_breach".
//
// The words are untyped constants, so each domain uses them with its own
// types (ticket's and routing's domain.Category, sla's strings) and keeps
// no list of its own. The package imports nothing: a domain depends on the
// words, not on the contracts. libs/vocab maps the words to and from the
// enums, and this package's test holds every constant to the word vocab
// derives for its enum value, both ways.
package word

// Categories: the kind of problem a ticket reports.
const (
	CategoryWater       = "water"
	CategoryRoads       = "roads"
	CategoryElectricity = "electricity"
	CategoryWaste       = "waste"
	CategorySanitation  = "sanitation"
	// CategoryGBV is gender-based violence: sealed, seen only by the SAPS
	// liaison, routed only to SAPS teams, clocked 24x7 and never paused.
	CategoryGBV   = "gbv"
	CategoryOther = "other"
)

// Ticket statuses: the steps of a ticket's life cycle.
const (
	StatusOpen            = "open"
	StatusInProgress      = "in_progress"
	StatusAwaitingCitizen = "awaiting_citizen"
	StatusResolved        = "resolved"
	StatusClosed          = "closed"
	StatusCancelled       = "cancelled"
)

// Assignment reasons: the routing rule or action that produced an
// assignment.
const (
	ReasonGeospatial      = "geospatial_routing"
	ReasonFallbackNearest = "fallback_nearest"
	ReasonTriage          = "triage"
	ReasonManualOverride  = "manual_override"
	ReasonEscalation      = "escalation"
	ReasonSLABreach       = "sla_breach"
)

// Reasons lists every assignment reason, in the contract's order.
func Reasons() []string {
	return []string{ReasonGeospatial, ReasonFallbackNearest, ReasonTriage, ReasonManualOverride, ReasonEscalation, ReasonSLABreach}
}

// Priorities: how urgent a ticket is, P1 the most.
const (
	PriorityP1Critical = "p1_critical"
	PriorityP2High     = "p2_high"
	PriorityP3Medium   = "p3_medium"
	PriorityP4Low      = "p4_low"
)

// Priorities lists every priority, most urgent first (the contract's order).
func Priorities() []string {
	return []string{PriorityP1Critical, PriorityP2High, PriorityP3Medium, PriorityP4Low}
}

// Finished lists the statuses of a ticket that is no longer open work.
func Finished() []string { return []string{StatusResolved, StatusClosed, StatusCancelled} }
