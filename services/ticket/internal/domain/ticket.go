// Package domain holds the ticket service's types and rules, without I/O:
// what a ticket is, its life cycle, who may see and change it (on top of
// libs/access's Caller), what input is acceptable and what defaults apply.
// It knows nothing of gRPC or Postgres.
package domain

import (
	"fmt"
	"time"

	"github.com/salga/trustengine/libs/vocab/word"
)

// Category is the kind of problem a ticket reports, as stored: one of
// the Category words of libs/vocab/word.
type Category string

// Channel is how a report arrived, as stored (e.g. "web", "whatsapp").
type Channel string

// ChannelWeb is the channel of a report that names none.
const ChannelWeb Channel = "web"

// Reporter is the contact detail of whoever reported a ticket (personal
// information under POPIA).
type Reporter struct {
	// Name as given.
	Name string `json:"name,omitempty"`
	// Phone number.
	Phone string `json:"phone,omitempty"`
	// Email address.
	Email string `json:"email,omitempty"`
}

// Point is a WGS84 position.
type Point struct {
	// Lat is the latitude in degrees.
	Lat float64
	// Lng is the longitude in degrees.
	Lng float64
}

// Ticket is one reported problem with everything the service knows about it.
type Ticket struct {
	ID                 string
	Reference          string
	Tenant             string
	Category           Category
	Status             Status
	Description        string
	Location           Point
	Address            string
	Reporter           Reporter
	ReporterSubject    string
	Channel            Channel
	AssignedTeamID     string
	AssignedTeamName   string
	AssignedPersonID   string
	AssignmentReason   string
	FirstRespondedAt   *time.Time
	ResponseDeadline   *time.Time
	ResolutionDeadline *time.Time
	EscalatedAt        *time.Time
	EscalationReason   string
	EscalationLevel    int32
	CancelReason       string
	CreateTime         time.Time
	UpdateTime         time.Time
	ResolveTime        *time.Time
	CloseTime          *time.Time
	// Priority is staff's priority when PriorityByStaff, else the rule's
	// suggestion; SuggestedPriority is the rule's.
	Priority          Priority
	SuggestedPriority Priority
	PriorityByStaff   bool
	// DuplicateOf is the parent of a ticket closed as a duplicate, and
	// PreDuplicateStatus the status it had before.
	DuplicateOf        string
	PreDuplicateStatus Status
	LinkedCount        int32
	FollowerCount      int32
	// WardCode is the ward the ticket was created in, as routing told it
	// ("" until then, or when the point is in no ward).
	WardCode string
}

// NewTicket is the open ticket of a validated report in by reporter, with
// its id, reference and creation time.
func NewTicket(in CreateInput, id, reference, reporter string, now time.Time) Ticket {
	return Ticket{
		ID: id, Reference: reference, Tenant: in.Tenant, Category: in.Category, Status: word.StatusOpen,
		Description: in.Description, Location: *in.Location, Address: in.Address, Reporter: in.Reporter,
		ReporterSubject: reporter, Channel: in.Channel, CreateTime: now, UpdateTime: now,
		Priority: in.Priority, PriorityByStaff: in.Priority != "",
	}
}

// Suggest sets t's suggested priority under keywords, and its priority too
// unless staff set it; it reports whether the priority changed.
func (t *Ticket) Suggest(keywords []PriorityKeyword) bool {
	t.SuggestedPriority = SuggestPriority(t.Category, t.Description, int(t.LinkedCount), keywords)
	if t.PriorityByStaff || t.Priority == t.SuggestedPriority {
		return false
	}
	t.Priority = t.SuggestedPriority
	return true
}

// Reference is the human reference of a tenant's seq-th ticket of year,
// e.g. CPT-2026-000123.
func Reference(tenant string, year int, seq int64) string {
	return fmt.Sprintf("%s-%d-%06d", tenant, year, seq)
}

// CreatedEntry is the first history entry of t, by its reporter.
func (t Ticket) CreatedEntry() HistoryEntry {
	return HistoryEntry{Sequence: 1, TicketID: t.ID, Kind: HistoryCreated, Actor: t.ReporterSubject,
		To: word.StatusOpen, Detail: string(t.Channel), CreateTime: t.CreateTime}
}

// IsGBV reports whether the ticket is a gender-based-violence report, whose
// content only the tenant's SAPS liaison may read.
func (t Ticket) IsGBV() bool { return t.Category == word.CategoryGBV }

// Receipt is what the reporter of a GBV ticket gets back: the ticket's
// identity and state, never its content, since even the reporter's account
// may later be used by someone else (a shared phone).
func (t Ticket) Receipt() Ticket {
	return Ticket{
		ID: t.ID, Reference: t.Reference, Tenant: t.Tenant, Category: t.Category,
		Status: t.Status, ReporterSubject: t.ReporterSubject, Channel: t.Channel,
		CreateTime: t.CreateTime, UpdateTime: t.CreateTime,
	}
}

// History entry kinds.
const (
	HistoryCreated       = "created"
	HistoryStatusChanged = "status_changed"
	HistoryNoteAdded     = "note_added"
	HistoryAssigned      = "assigned"
	HistoryDeadlinesSet  = "deadlines_set"
	HistoryEscalated     = "escalated"
	// HistorySLAWarning: an SLA clock passed its warning threshold.
	HistorySLAWarning = "sla_warning"
	// HistorySLABreach: an SLA clock passed its deadline (or a further
	// breach step); an escalation follows from routing.
	HistorySLABreach = "sla_breach"
)

// ActorSystem is the actor of changes made by other services.
const ActorSystem = "system"

// HistoryEntry is one append-only change record of a ticket.
type HistoryEntry struct {
	Sequence   int64
	TicketID   string
	Kind       string
	Actor      string
	From       Status
	To         Status
	Reason     string
	Detail     string
	EventID    string
	CreateTime time.Time
}

// Note visibilities.
const (
	NoteInternal = "internal"
	NotePublic   = "public"
)

// Note is a comment on a ticket.
type Note struct {
	ID         string
	TicketID   string
	Author     string
	Visibility string
	Body       string
	CreateTime time.Time
}

// AccessLogEntry records one read of a GBV ticket.
type AccessLogEntry struct {
	ID         int64
	Tenant     string
	TicketID   string
	Subject    string
	Roles      []string
	Action     string
	CreateTime time.Time
}
