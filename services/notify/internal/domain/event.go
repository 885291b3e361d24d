package domain

import (
	"slices"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
)

// Limits of an event's text, in characters.
const (
	maxReference = 64
	maxTeamName  = 200
	maxNote      = 4000
	maxSubject   = 200
	maxID        = 200
	// maxFollowers is how many followers an event may name.
	maxFollowers = 5000
)

// Event is one notifiable change of a ticket, as the ticket service
// delivers it.
type Event struct {
	ID, Tenant, TicketID, Reference string
	// Category is the ticket's category word (e.g. "water", "gbv").
	Category string
	Kind     Kind
	// From and To are status words (From only for status changes).
	From, To  string
	OccurTime time.Time
	// ReporterSubject, Reporter and Preferences come with KindCreated.
	ReporterSubject string
	Reporter        Contact
	Preferences     *Preferences
	// TeamID is the team responsible (the new one for an assignment).
	TeamID, TeamName, PersonID, AssignmentReason string
	EscalationLevel                              int32
	// Clock is "response" or "resolution" (SLA events).
	Clock    string
	Deadline *time.Time
	// Note is a public note's text (KindNotePublic).
	Note     string
	Sequence int64
	// Followers are the tickets whose reporters followed the ticket when
	// the event happened (none for GBV): see Plan.
	Followers []string
}

// IsGBV reports whether the event is about a GBV ticket: no message about
// it may carry content.
func (e Event) IsGBV() bool { return e.Category == word.CategoryGBV }

// ForTenant is the municipality of the job the event is (its tenant).
func (e Event) ForTenant() string { return e.Tenant }

// Validate refuses a malformed event, naming every field, drops the text
// a GBV event must never carry (the ticket service sends none; this is the
// second wall), and puts its times at Postgres precision.
func (e *Event) Validate() error {
	var vs apperr.Violations
	if e.Tenant == "" {
		vs.Add("tenant", "is required")
	}
	for _, f := range []struct{ name, v string }{{"event_id", e.ID}, {"ticket_id", e.TicketID}} {
		if !IsID(f.v) {
			vs.Add(f.name, "must be a UUID")
		}
	}
	if e.Reference == "" || utf8.RuneCountInString(e.Reference) > maxReference || !Printable(e.Reference) {
		vs.Add("reference", "is required: printable, at most 64 characters")
	}
	if e.Category == "" {
		vs.Add("category", "is required")
	}
	if !e.Kind.Known() {
		vs.Add("kind", "must be a known event kind")
	}
	if e.OccurTime.IsZero() {
		vs.Add("occur_time", "is required")
	}
	if r := TextRule(e.TeamName, maxTeamName); r != "" {
		vs.Add("team_name", r)
	}
	if r := TextRule(e.Note, maxNote); r != "" {
		vs.Add("note", r)
	}
	if len(e.TeamID) > maxID || len(e.PersonID) > maxID || len(e.ReporterSubject) > maxID {
		vs.Add("team_id", "team_id, person_id and reporter_subject must be at most 200 bytes")
	}
	if len(e.Followers) > maxFollowers {
		vs.Add("follower_ticket_ids", "must name at most 5000 tickets")
	}
	for _, id := range e.Followers {
		if !IsID(id) {
			vs.Add("follower_ticket_ids", "must be UUIDs")
			break
		}
	}
	if e.Kind == KindCreated {
		e.Reporter.Violations(&vs, "reporter")
		if e.Preferences != nil {
			e.Preferences.Violations(&vs, "reporter_preferences")
		}
	}
	if err := vs.Err(); err != nil {
		return err
	}
	if e.IsGBV() {
		e.TeamName, e.Note, e.Followers = "", "", nil
	}
	e.Followers = slices.DeleteFunc(slices.Compact(slices.Sorted(slices.Values(e.Followers))),
		func(id string) bool { return id == e.TicketID })
	e.OccurTime = e.OccurTime.UTC().Truncate(time.Microsecond)
	if e.Deadline != nil {
		d := e.Deadline.UTC().Truncate(time.Microsecond)
		e.Deadline = &d
	}
	return nil
}

// IsID reports whether s is a UUID.
func IsID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && s != ""
}

// CheckID refuses an id that is not a UUID, naming field.
func CheckID(id, field string) error {
	if !IsID(id) {
		return apperr.Invalid(field, "must be a UUID")
	}
	return nil
}
