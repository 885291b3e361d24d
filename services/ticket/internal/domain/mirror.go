package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
)

// Assignment is routing's current assignment of a ticket, mirrored here.
type Assignment struct {
	Tenant, TicketID, AssignmentID string
	TeamID, TeamName, PersonID     string
	Reason                         string
	EscalationLevel                int32
	AssignTime                     time.Time
	// WardCode is the ward of the ticket's location when routing routed
	// it (routing assignments only); the ticket keeps the first it is told.
	WardCode string
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
	if !slices.Contains(word.Reasons(), a.Reason) {
		vs.Add("reason", "must be one of "+strings.Join(word.Reasons(), ", "))
	}
	if a.AssignTime.IsZero() {
		vs.Add("assign_time", "is required")
	}
	if a.EscalationLevel < 0 {
		vs.Add("escalation_level", "must not be negative")
	}
	if rule := TextRule(a.WardCode, MaxWardCode, false); rule != "" {
		vs.Add("ward_code", rule)
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
	return a.Reason == word.ReasonSLABreach || a.Reason == word.ReasonEscalation
}

// Supersedes reports whether a replaces the recorded assignment current
// made at at: not the same one, and not older (redelivery and reordering
// are harmless).
func (a Assignment) Supersedes(current string, at *time.Time) bool {
	return current != a.AssignmentID && (at == nil || !a.AssignTime.Before(*at))
}

// TellsWard reports whether a tells t the ward it was created in: t has
// none yet and a names one (a ticket keeps the first ward it is told,
// whatever the order the assignments arrive in).
func (a Assignment) TellsWard(t Ticket) bool {
	return a.WardCode != "" && t.WardCode == ""
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

// Mirror is what routing and SLA mirrored onto a ticket last.
type Mirror struct {
	// AssignmentID and AssignTime are of the recorded assignment.
	AssignmentID string
	AssignTime   *time.Time
	// Revision, Response and Resolution are of the recorded deadlines.
	Revision             int64
	Response, Resolution *time.Time
}
