package domain

import (
	"time"

	"github.com/salga/trustengine/libs/vocab/word"
)

// Notice kinds, as the notification service's EventKind words them.
const (
	NoticeCreated       = "created"
	NoticeAcknowledged  = "acknowledged"
	NoticeStatusChanged = "status_changed"
	NoticeResolved      = "resolved"
	NoticeClosed        = "closed"
	NoticeNotePublic    = "note_public"
	NoticeAssigned      = "assigned"
	NoticeEscalated     = "escalated"
	NoticeSLAWarning    = "sla_warning"
	NoticeSLABreach     = "sla_breach"
)

// Notice is what the notification service must hear of one history entry
// of a ticket: ids, the kind, statuses, the team and person, the clock and
// deadline, and with the created entry the reporter's contact and
// preferences. A GBV ticket's notice never carries its team's name or a
// note: its messages carry no content.
type Notice struct {
	Kind                                           string
	EventID, Tenant, TicketID, Reference, Category string
	From, To                                       Status
	OccurTime                                      time.Time
	Sequence                                       int64
	ReporterSubject                                string
	Reporter                                       Reporter
	Preferences                                    ReporterPreferences
	TeamID, TeamName, PersonID, AssignmentReason   string
	EscalationLevel                                int32
	Clock                                          string
	Deadline                                       *time.Time
	Note                                           string
	// Followers are the tickets whose reporters follow the ticket (its
	// linked duplicates, each follower's latest report): with status
	// changes and public notes only, never for GBV.
	Followers []string
}

// notice is the notice of t's entry h of kind.
func (t Ticket) notice(kind string, h HistoryEntry) Notice {
	n := Notice{Kind: kind, EventID: h.EventID, Tenant: t.Tenant, TicketID: t.ID, Reference: t.Reference,
		Category: string(t.Category), From: h.From, To: t.Status, OccurTime: h.CreateTime, Sequence: h.Sequence,
		TeamID: t.AssignedTeamID, TeamName: t.AssignedTeamName, PersonID: t.AssignedPersonID, Deadline: t.ResolutionDeadline}
	if t.IsGBV() {
		n.TeamName = ""
	}
	return n
}

// CreatedNotice is the notice of t's `created` entry h, with the
// reporter's contact and preferences p.
func (t Ticket) CreatedNotice(h HistoryEntry, p ReporterPreferences) Notice {
	n := t.notice(NoticeCreated, h)
	n.ReporterSubject, n.Reporter, n.Preferences = t.ReporterSubject, t.Reporter, p
	return n
}

// StatusNotice is the notice of t's `status_changed` entry h: resolved,
// closed, acknowledged (staff's first move to in_progress), or another
// change of status.
func (t Ticket) StatusNotice(h HistoryEntry) Notice {
	kind := NoticeStatusChanged
	switch {
	case h.To == word.StatusResolved:
		kind = NoticeResolved
	case h.To == word.StatusClosed:
		kind = NoticeClosed
	case h.To == word.StatusInProgress && h.Detail == DetailFirstResponse:
		kind = NoticeAcknowledged
	}
	return t.notice(kind, h)
}

// NoteNotice is the notice of a public note staff added (entry h); a
// GBV ticket's notice leaves the note out.
func (t Ticket) NoteNotice(h HistoryEntry, note Note) Notice {
	n := t.notice(NoticeNotePublic, h)
	if !t.IsGBV() {
		n.Note = note.Body
	}
	return n
}

// NotifiesNote reports whether a note is told to the reporter: public,
// and written by staff.
func NotifiesNote(n Note, byStaff bool) bool { return n.Visibility == NotePublic && byStaff }

// Notice is the notice of assignment a (entry h on t, after it applied).
func (a Assignment) Notice(t Ticket, h HistoryEntry) Notice {
	kind := NoticeAssigned
	if a.IsEscalation() {
		kind = NoticeEscalated
	}
	n := t.notice(kind, h)
	n.TeamID, n.TeamName, n.PersonID = a.TeamID, a.TeamName, a.PersonID
	n.AssignmentReason, n.EscalationLevel = a.Reason, a.EscalationLevel
	if t.IsGBV() {
		n.TeamName = ""
	}
	return n
}

// Notice is the notice of clock event e (entry h on t).
func (e ClockEvent) Notice(t Ticket, h HistoryEntry) Notice {
	kind := NoticeSLAWarning
	if e.Kind == "breach" {
		kind = NoticeSLABreach
	}
	n := t.notice(kind, h)
	d := e.Deadline
	n.Clock, n.Deadline, n.EscalationLevel = e.Clock, &d, e.EscalationLevel
	return n
}
