package domain

import (
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/sla/internal/domain/calendar"
)

// Ticket event kinds.
const (
	EventCreated       = "created"
	EventStatusChanged = "status_changed"
	// EventPriorityChanged: the open clocks count against the new
	// priority's policy from the event on.
	EventPriorityChanged = "priority_changed"
	// EventAssigned: the ticket's current team changed, or its ward
	// became known; reports count it under them. No clock changes.
	EventAssigned = "assigned"
)

// TicketEvent is a ticket change fed to the clocks by the ticket service.
type TicketEvent struct {
	EventID       string
	Tenant        string
	TicketID      string
	Category      string
	Kind          string
	From          string
	To            string
	FirstResponse bool
	At            time.Time
	Sequence      int64
	// WardCode, TeamID and Priority are the ticket's reporting dimensions
	// when the event carries them ("" keeps what was recorded before); the
	// team is the ticket's as of Sequence (TicketState.WithDimensions).
	WardCode, TeamID, Priority string
}

// Validate refuses a malformed event, naming every offending field: ids
// are UUIDs, the tenant a municipality code, the time set, and a created
// event names a category, a status change the status it moves to. A kind,
// category or status "" stands for a value the contract does not define or
// UNSPECIFIED.
func (ev TicketEvent) Validate() error {
	var vs apperr.Violations
	if !isID(ev.EventID) {
		vs.Add("event_id", "must be a UUID")
	}
	if !isID(ev.TicketID) {
		vs.Add("ticket_id", "must be a UUID")
	}
	if !IsMunicipality(ev.Tenant) {
		vs.Add("tenant", "must be a municipality code such as CPT")
	}
	if ev.At.IsZero() {
		vs.Add("occur_time", "must be set")
	}
	if ev.Sequence < 0 {
		vs.Add("sequence", "must not be negative")
	}
	if ev.TeamID != "" && !isID(ev.TeamID) {
		vs.Add("team_id", "must be a UUID or empty")
	}
	if !isDimension(ev.WardCode) {
		vs.Add("ward_code", "must be at most 64 letters, digits, '-', '_' or '.'")
	}
	if !isDimension(ev.Priority) {
		vs.Add("priority", "must be at most 64 letters, digits, '-', '_' or '.'")
	}
	switch ev.Kind {
	case EventCreated:
		if ev.Category == "" {
			vs.Add("category", "must be a known category for created events")
		}
	case EventStatusChanged:
		if ev.To == "" {
			vs.Add("to_status", "must be a known status for status changes")
		}
	case EventPriorityChanged:
	case EventAssigned:
		if ev.Sequence == 0 && ev.TeamID != "" {
			vs.Add("sequence", "must be set for assigned events naming a team")
		}
		if ev.Sequence == 0 && ev.WardCode == "" {
			vs.Add("ward_code", "must be set for assigned events without a sequence (they tell the ward alone)")
		}
	default:
		vs.Add("kind", "must be created, status_changed, priority_changed or assigned")
	}
	return vs.Err()
}

// ForTenant is the municipality whose job the event is.
func (ev TicketEvent) ForTenant() string { return ev.Tenant }

// TicketState is what the SLA service remembers of a ticket between events.
type TicketState struct {
	TicketID         string
	Tenant           string
	Category         string
	Status           string
	Priority         string
	LastSequence     int64
	DeadlineRevision int64
	EscalationLevel  int
	// WardCode and TeamID are the last reporting dimensions events carried
	// ("" when none did); Priority is the third.
	WardCode, TeamID string
	// TeamSequence is the sequence of the event TeamID was taken from:
	// the team has its own order, apart from LastSequence, which orders
	// status and priority changes.
	TeamSequence int64
}

// WithDimensions is t with the reporting dimensions ev carries and
// whether it changed. The ward replaces the recorded one when set (a
// ticket's ward is the one it was created in, the same in every event), and
// so does the priority of events in the status order (not an assigned
// event's: a late one would undo a newer priority change).
//
// The team is the ticket's as of ev's sequence: an assigned event's always
// (empty: the triage queue), another event's when set. It replaces the
// recorded one when ev is newer than the event that was taken from,
// whatever ev's kind, so an assignment delivered after a newer one, or a
// status change carrying the team before a reassignment, changes nothing.
// An assigned event without a sequence tells the ward alone; another event
// without one (older jobs) sets the team only while no ordered one has.
func (t TicketState) WithDimensions(ev TicketEvent) (TicketState, bool) {
	n := t
	if ev.WardCode != "" {
		n.WardCode = ev.WardCode
	}
	if ev.Priority != "" && ev.Kind != EventAssigned {
		n.Priority = ev.Priority
	}
	tells := ev.TeamID != "" || ev.Kind == EventAssigned && ev.Sequence > 0
	if tells && (ev.Sequence > t.TeamSequence || ev.Sequence == 0 && t.TeamSequence == 0) {
		n.TeamID, n.TeamSequence = ev.TeamID, ev.Sequence
	}
	return n, n != t
}

// Calendars finds a calendar version; the zero CalendarRef is 24x7.
type Calendars map[CalendarRef]*calendar.Calendar

// Of returns the calendar version r, falling back to 24x7 for the zero ref
// or an unknown one (a lost calendar must not stop the clocks).
func (cs Calendars) Of(r CalendarRef) *calendar.Calendar {
	if c, ok := cs[r]; ok && c != nil {
		return c
	}
	return calendar.AlwaysOpen()
}

// StartClocks starts the response and first resolution clock of a new
// ticket; the resolution clock starts paused when the policy pauses `open`.
func StartClocks(ev TicketEvent, p Policy, cals Calendars) []Clock {
	cal := cals.Of(p.CalendarRef())
	cs := []Clock{
		StartClock(ev.Tenant, ev.TicketID, ev.Category, ClockResponse, 1, ev.At, p, cal),
		startResolution(ev.Tenant, ev.TicketID, ev.Category, 1, ev.At, word.StatusOpen, p, cal),
	}
	for i := range cs {
		cs[i].Priority = ev.Priority
	}
	return cs
}

// startResolution starts resolution cycle `cycle` at `at` in status, paused
// at once when the policy pauses that status.
func startResolution(tenant, ticketID, category string, cycle int, at time.Time, status string, p Policy, cal *calendar.Calendar) Clock {
	c := StartClock(tenant, ticketID, category, ClockResolution, cycle, at, p, cal)
	if p.Pauses(status) {
		c.Pause(at, cal)
	}
	return c
}

func isFinal(status string) bool {
	return status == word.StatusResolved || status == word.StatusClosed || status == word.StatusCancelled
}

// ApplyStatusChange updates clocks for a status change and returns the clocks
// that changed (new ones included): first response meets the response clock;
// a pause status pauses the resolution clock and leaving it resumes it;
// resolved, closed and cancelled stop the clocks; a reopen from resolved
// starts a new resolution cycle under the current policy p, paused at once
// when p pauses the new status.
func ApplyStatusChange(clocks []Clock, ev TicketEvent, p Policy, cals Calendars) []Clock {
	if ev.From == word.StatusClosed && !isFinal(ev.To) {
		return reopenDuplicate(clocks, ev, p, cals)
	}
	var changed []Clock
	resp, res := -1, -1
	for i, c := range clocks {
		switch {
		case c.Kind == ClockResponse:
			resp = i
		case res < 0 || c.Cycle > clocks[res].Cycle:
			res = i
		}
	}
	if resp >= 0 && (ev.FirstResponse || isFinal(ev.To)) {
		c := clocks[resp]
		if c.Stop(ev.At, cals.Of(c.Calendar())) {
			changed = append(changed, c)
		}
	}
	if res < 0 {
		return changed
	}
	c := clocks[res]
	cal := cals.Of(c.Calendar())
	var did bool
	switch {
	case isFinal(ev.To):
		did = c.Stop(ev.At, cal)
	case ev.From == word.StatusResolved && !c.IsOpen():
		// A reopen comes first: whatever the new status does to a clock, it
		// does it to the new cycle, not to the stopped one.
		next := startResolution(ev.Tenant, ev.TicketID, c.Category, c.Cycle+1, ev.At, ev.To, p, cals.Of(p.CalendarRef()))
		next.Priority = c.Priority
		changed = append(changed, next)
	case p.Pauses(ev.To):
		did = c.Pause(ev.At, cal)
	case c.State == StatePaused:
		did = c.Resume(ev.At, cal)
	}
	if did {
		changed = append(changed, c)
	}
	return changed
}

// reopenDuplicate applies the one move out of closed, a duplicate unlinked
// (the ticket service closes open work only by linking it to a parent):
// the clocks the link stopped, those stopped last, count again from the
// event with the working time they had counted before it; the time the
// ticket spent linked does not count. A clock met earlier (a first
// response) stays met. The resolution clock pauses at once when p pauses
// the status the ticket returns to.
func reopenDuplicate(clocks []Clock, ev TicketEvent, p Policy, cals Calendars) []Clock {
	var last time.Time
	for _, c := range clocks {
		if c.StopAt.After(last) {
			last = c.StopAt
		}
	}
	if last.IsZero() {
		return nil
	}
	res := -1
	for i, c := range clocks {
		if c.Kind == ClockResolution && (res < 0 || c.Cycle > clocks[res].Cycle) {
			res = i
		}
	}
	var changed []Clock
	for i, c := range clocks {
		if !c.StopAt.Equal(last) || (c.Kind == ClockResolution && i != res) {
			continue
		}
		cal := cals.Of(c.Calendar())
		if !c.Reopen(ev.At, cal) {
			continue
		}
		if c.Kind == ClockResolution && p.Pauses(ev.To) {
			c.Pause(ev.At, cal)
		}
		changed = append(changed, c)
	}
	return changed
}

// Deadlines are what the ticket service mirrors: the response deadline while
// that clock is open and the latest resolution deadline while it runs.
func Deadlines(clocks []Clock) (response, resolution time.Time) {
	cycle := 0
	for _, c := range clocks {
		switch {
		case c.Kind == ClockResponse && c.IsOpen():
			response = c.DeadlineAt
		case c.Kind == ClockResolution && c.Cycle > cycle:
			cycle, resolution = c.Cycle, time.Time{}
			if c.IsOpen() && c.State != StatePaused {
				resolution = c.DeadlineAt
			}
		}
	}
	return response, resolution
}

// DeadlineMirror is what the ticket service mirrors of a ticket's clocks
// (Deadlines; zero when unset), under a per-ticket revision that orders
// the mirrors.
type DeadlineMirror struct {
	Tenant     string
	TicketID   string
	Revision   int64
	Response   time.Time
	Resolution time.Time
}

// MirrorOf is the mirror of a ticket's clocks under revision rev.
func MirrorOf(tenant, ticketID string, rev int64, clocks []Clock) DeadlineMirror {
	resp, res := Deadlines(clocks)
	return DeadlineMirror{Tenant: tenant, TicketID: ticketID, Revision: rev, Response: resp, Resolution: res}
}

// isDimension reports whether s may name a reporting dimension's value
// (a ward code, a priority): short, and nothing a CSV cell or a log line
// could misread.
func isDimension(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r == '-' || r == '_' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}
