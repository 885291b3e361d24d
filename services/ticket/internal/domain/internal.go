package domain

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
)

// Assignment reasons routing gives, as the contract's AssignmentReason
// words them.
const (
	ReasonSLABreach  = "sla_breach"
	ReasonEscalation = "escalation"
)

// assignmentReasons are every reason routing may give.
var assignmentReasons = []string{"geospatial_routing", "fallback_nearest", "triage", "manual_override", ReasonEscalation, ReasonSLABreach}

// AssignmentReasons lists every reason routing may give.
func AssignmentReasons() []string { return slices.Clone(assignmentReasons) }

// Assignment is routing's current assignment of a ticket, mirrored here.
type Assignment struct {
	Tenant, TicketID, AssignmentID string
	TeamID, TeamName, PersonID     string
	Reason                         string
	EscalationLevel                int32
	AssignTime                     time.Time
}

// Validate refuses a malformed assignment, naming every field, and puts
// its time at Postgres precision.
func (a *Assignment) Validate() error {
	var vs apperr.Violations
	if a.Tenant == "" {
		vs.Add("tenant", "is required")
	}
	if !isID(a.TicketID) {
		vs.Add("ticket_id", "must be a UUID")
	}
	if a.AssignmentID == "" {
		vs.Add("assignment_id", "is required")
	}
	if !slices.Contains(assignmentReasons, a.Reason) {
		vs.Add("reason", "must be one of "+strings.Join(assignmentReasons, ", "))
	}
	if a.AssignTime.IsZero() {
		vs.Add("assign_time", "is required")
	}
	if a.EscalationLevel < 0 {
		vs.Add("escalation_level", "must not be negative")
	}
	if err := vs.Err(); err != nil {
		return err
	}
	a.AssignTime = a.AssignTime.UTC().Truncate(time.Microsecond)
	return nil
}

// ForTenant is the municipality of the job a (the request's tenant).
func (a Assignment) ForTenant() string { return a.Tenant }

// IsEscalation reports whether the assignment escalates the ticket.
func (a Assignment) IsEscalation() bool {
	return a.Reason == ReasonSLABreach || a.Reason == ReasonEscalation
}

// Supersedes reports whether a replaces the recorded assignment current
// made at at: not the same one, and not older (redelivery and reordering
// are harmless).
func (a Assignment) Supersedes(current string, at *time.Time) bool {
	return current != a.AssignmentID && (at == nil || !a.AssignTime.Before(*at))
}

// Entry is the history entry of a: `assigned`, or `escalated`.
func (a Assignment) Entry() HistoryEntry {
	h := HistoryEntry{Kind: HistoryAssigned, Reason: a.Reason, Detail: a.TeamName}
	if a.IsEscalation() {
		h.Kind = HistoryEscalated
	}
	if h.Detail == "" {
		h.Detail = "triage"
	}
	return h
}

// Deadlines is the SLA service's view of a ticket's deadlines.
type Deadlines struct {
	Tenant, TicketID     string
	Response, Resolution *time.Time
	Revision             int64
}

// Validate refuses malformed deadlines, naming the field, and puts the
// times at Postgres precision.
func (d *Deadlines) Validate() error {
	if d.Tenant == "" {
		return apperr.Invalid("tenant", "is required")
	}
	if err := CheckID(d.TicketID, "ticket_id"); err != nil {
		return err
	}
	if d.Revision <= 0 {
		return apperr.Invalid("revision", "must be positive")
	}
	for _, p := range []**time.Time{&d.Response, &d.Resolution} {
		if *p != nil {
			t := (*p).UTC().Truncate(time.Microsecond)
			*p = &t
		}
	}
	return nil
}

// ForTenant is the municipality of the job d.
func (d Deadlines) ForTenant() string { return d.Tenant }

// Entry is the `deadlines_set` history entry of d.
func (d Deadlines) Entry() HistoryEntry {
	return HistoryEntry{Kind: HistoryDeadlinesSet, Detail: fmt.Sprintf("response=%s resolution=%s", fmtTime(d.Response), fmtTime(d.Resolution))}
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "none"
	}
	return t.UTC().Format(time.RFC3339)
}

// SameTime reports whether two optional times are equal.
func SameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// ClockEvent is an SLA warning or breach of one of a ticket's clocks.
type ClockEvent struct {
	Tenant, TicketID, EventID string
	// Kind is "warning" or "breach".
	Kind string
	// Clock is "response" or "resolution".
	Clock           string
	Cycle, Step     int32
	EscalationLevel int32
	Deadline        time.Time
}

// Validate refuses a malformed event, naming every field, and puts its
// deadline at Postgres precision.
func (e *ClockEvent) Validate() error {
	var vs apperr.Violations
	if e.Tenant == "" {
		vs.Add("tenant", "is required")
	}
	if !isID(e.TicketID) {
		vs.Add("ticket_id", "must be a UUID")
	}
	if !isID(e.EventID) {
		vs.Add("event_id", "must be a UUID")
	}
	if e.Kind != "warning" && e.Kind != "breach" {
		vs.Add("kind", "must be warning or breach")
	}
	if e.Clock != "response" && e.Clock != "resolution" {
		vs.Add("clock", "must be response or resolution")
	}
	if e.Cycle < 1 {
		vs.Add("cycle", "must be at least 1")
	}
	if e.Step < 0 || e.EscalationLevel < 0 {
		vs.Add("step", "step and escalation_level must not be negative")
	}
	if e.Deadline.IsZero() {
		vs.Add("deadline", "is required")
	}
	if err := vs.Err(); err != nil {
		return err
	}
	e.Deadline = e.Deadline.UTC().Truncate(time.Microsecond)
	return nil
}

// ForTenant is the municipality of the job e.
func (e ClockEvent) ForTenant() string { return e.Tenant }

// Entry is the `sla_warning` or `sla_breach` history entry of e: ids and
// times only, under the event's own id so it is recorded once.
func (e ClockEvent) Entry() HistoryEntry {
	detail := fmt.Sprintf("%s clock cycle %d step %d, deadline %s", e.Clock, e.Cycle, e.Step, e.Deadline.UTC().Format(time.RFC3339))
	if e.EscalationLevel > 0 {
		detail += fmt.Sprintf(", escalation level %d", e.EscalationLevel)
	}
	kind := HistorySLAWarning
	if e.Kind == "breach" {
		kind = HistorySLABreach
	}
	return HistoryEntry{Kind: kind, Reason: e.Clock, Detail: detail, EventID: e.EventID}
}

// maxAccessTickets bounds one logged answer: the longest list another
// service answers with (a queue page) holds 1000 tickets.
const maxAccessTickets = 1000

// accessAction is the shape of a logged action: the answering service and
// its RPC, e.g. "routing.ListAssignments".
var accessAction = regexp.MustCompile(`^[a-z]{2,20}\.[A-Z][A-Za-z]{1,79}$`)

// GBVAccess is an answer another service gave that carried sealed content
// of GBV tickets: who got it, from which RPC, when. It holds no content.
type GBVAccess struct {
	Tenant    string
	TicketIDs []string
	Subject   string
	Roles     []string
	// Action is "<service>.<RPC>", e.g. "routing.ListAssignments".
	Action string
	// EventID is the answering service's id of the answer.
	EventID string
	Time    time.Time
}

// ForTenant is the municipality of the job e.
func (e GBVAccess) ForTenant() string { return e.Tenant }

// Validate refuses a malformed entry, naming every field, and puts its
// time at Postgres precision.
func (e *GBVAccess) Validate() error {
	var vs apperr.Violations
	if !auth.IsTenantCode(e.Tenant) {
		vs.Add("tenant", "must be a municipality code of 2 to 8 upper-case letters and digits")
	}
	switch {
	case len(e.TicketIDs) == 0 || len(e.TicketIDs) > maxAccessTickets:
		vs.Add("ticket_ids", fmt.Sprintf("must hold 1 to %d ticket ids", maxAccessTickets))
	case slices.ContainsFunc(e.TicketIDs, func(id string) bool { return !isID(id) }):
		vs.Add("ticket_ids", "must be UUIDs")
	case len(slices.Compact(slices.Sorted(slices.Values(e.TicketIDs)))) != len(e.TicketIDs):
		vs.Add("ticket_ids", "must name each ticket once")
	}
	if r := TextRule(e.Subject, 200, true); r != "" {
		vs.Add("subject", r)
	}
	if len(e.Roles) == 0 || slices.ContainsFunc(e.Roles, func(r string) bool { return !auth.IsKnownRole(r) }) {
		vs.Add("roles", "must hold at least one role, each a known one")
	}
	if !accessAction.MatchString(e.Action) {
		vs.Add("action", `must be "<service>.<RPC>", e.g. routing.ListAssignments`)
	}
	if !isID(e.EventID) {
		vs.Add("event_id", "must be a UUID")
	}
	if e.Time.IsZero() {
		vs.Add("access_time", "is required")
	}
	if err := vs.Err(); err != nil {
		return err
	}
	e.Time = e.Time.UTC().Truncate(time.Microsecond)
	return nil
}

// Mirror is what routing and SLA mirrored onto a ticket last.
type Mirror struct {
	// AssignmentID and AssignTime are of the recorded assignment.
	AssignmentID string
	AssignTime   *time.Time
	// Revision, Response and Resolution are of the recorded deadlines.
	Revision             int64
	Response, Resolution *time.Time
}
