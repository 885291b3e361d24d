package domain

import (
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
)

// The internal requests below carry a job of one municipality (Tenant):
// the use case checks that the caller's token names it (ForTenant) after
// Validate.

// RouteRequest asks to route a new ticket (RoutingInternalService.RouteTicket).
type RouteRequest struct {
	Tenant   string
	TicketID string
	Category Category
	Location *Point
	// CreateTime is when the ticket was created (zero: unknown, now).
	CreateTime time.Time
	// Status is the ticket's state at its creation, recorded with the
	// route as RecordTicketStatus records it (nil: none); its Tenant and
	// TicketID are the request's.
	Status *StatusReport
}

// Validate refuses a malformed request, naming the field.
func (r RouteRequest) Validate() error {
	if err := CheckCode(r.Tenant, "tenant"); err != nil {
		return err
	}
	if err := CheckID(r.TicketID, "ticket_id"); err != nil {
		return err
	}
	if err := checkCategory(r.Category, "category"); err != nil {
		return err
	}
	if err := checkLocation(r.Location, "location", true); err != nil {
		return err
	}
	if r.Status == nil {
		return nil
	}
	if r.Status.Tenant != r.Tenant || r.Status.TicketID != r.TicketID {
		return apperr.Invalid("status", "must be of the request's tenant and ticket_id")
	}
	return apperr.Within("status", r.Status.Validate())
}

// ForTenant is the municipality of the job.
func (r RouteRequest) ForTenant() string { return r.Tenant }

// Query is what the routing rules search for the request.
func (r RouteRequest) Query() RouteQuery {
	return RouteQuery{Tenant: r.Tenant, Category: r.Category, Lat: r.Location.Lat, Lng: r.Location.Lng, At: r.CreateTime}
}

// EscalateRequest asks to escalate a ticket to a level
// (RoutingInternalService.EscalateTicket).
type EscalateRequest struct {
	Tenant   string
	TicketID string
	Level    int32
	Reason   Reason
	Note     string
}

// Validate refuses a malformed request, naming the field.
func (r EscalateRequest) Validate() error {
	if err := CheckCode(r.Tenant, "tenant"); err != nil {
		return err
	}
	if err := CheckID(r.TicketID, "ticket_id"); err != nil {
		return err
	}
	if r.Level < 1 {
		return apperr.Invalid("level", "must be 1 or more")
	}
	if r.Reason != word.ReasonEscalation && r.Reason != word.ReasonSLABreach {
		return apperr.Invalid("reason", "must be ASSIGNMENT_REASON_SLA_BREACH or ASSIGNMENT_REASON_ESCALATION")
	}
	return CheckText(r.Note, "note", false, MaxNote)
}

// ForTenant is the municipality of the job.
func (r EscalateRequest) ForTenant() string { return r.Tenant }

// StatusReport tells routing a ticket's status, priority and SLA deadlines
// at a sequence of its history (RoutingInternalService.RecordTicketStatus);
// a report whose sequence is not above the recorded one changes nothing.
type StatusReport struct {
	Tenant   string
	TicketID string
	Status   string
	Sequence int64
	// Priority is one of libs/vocab/word's priorities, or "" for none.
	Priority string
	// Response and Resolution are the running SLA deadlines (nil: none).
	Response, Resolution *time.Time
}

// Validate refuses a malformed report, naming the field.
func (r StatusReport) Validate() error {
	if err := CheckCode(r.Tenant, "tenant"); err != nil {
		return err
	}
	if err := CheckID(r.TicketID, "ticket_id"); err != nil {
		return err
	}
	if r.Status == "" {
		return apperr.Invalid("status", "must be a known status other than TICKET_STATUS_UNSPECIFIED")
	}
	if r.Sequence < 0 {
		return apperr.Invalid("sequence", "must not be negative")
	}
	return nil
}

// ForTenant is the municipality of the job.
func (r StatusReport) ForTenant() string { return r.Tenant }

// ReassignRequest is a manual reassignment (RoutingService.ReassignTicket).
type ReassignRequest struct {
	TicketID string
	TeamID   string
	PersonID string
	Note     string
}

// Validate refuses a malformed request, naming the field.
func (r ReassignRequest) Validate() error {
	if err := CheckID(r.TicketID, "ticket_id"); err != nil {
		return err
	}
	if err := CheckID(r.TeamID, "team_id"); err != nil {
		return err
	}
	if err := CheckText(r.Note, "note", true, MaxNote); err != nil {
		return err
	}
	return CheckText(r.PersonID, "person_id", false, MaxPersonID)
}

// ExplainRequest asks what routing would decide for a point and category
// (RoutingService.ExplainRoute).
type ExplainRequest struct {
	Tenant   string
	Category Category
	Location *Point
}

// Validate refuses a malformed request, naming the field.
func (r ExplainRequest) Validate() error {
	if err := checkLocation(r.Location, "location", true); err != nil {
		return err
	}
	return checkCategory(r.Category, "category")
}
