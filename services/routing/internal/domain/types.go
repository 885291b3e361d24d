// Package domain holds the routing service's types and rules, free of
// transport and storage concerns.
package domain

import "time"

// Category is the kind of problem a ticket reports, as stored: one of the
// Category words of libs/vocab/word (water, roads, ..., gbv, other).
type Category string

// Reason says which routing rule or action produced an assignment: one of
// the Reason words of libs/vocab/word, which the ticket service receives.
type Reason string

// SystemActor is the assigned_by value of assignments made by the rules.
const SystemActor = "system"

// Member is a person in a team who can be given tickets.
type Member struct {
	UserID      string `json:"user_id"`
	DisplayName string `json:"display_name"`
}

// Team handles tickets of one category inside its service area.
type Team struct {
	ID               string
	Tenant           string
	Name             string
	Category         Category
	IsSAPS           bool
	ManagerID        string
	EscalationTeamID string
	Members          []Member
	Active           bool
	// ServiceArea is the GeoJSON MultiPolygon of the area, or "" when the
	// team has none (or when it was not loaded).
	ServiceArea string
	AreaSqKm    float64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// WardCode is the code of the ward the team was built from (it
	// follows the ward to each new boundary set); "" for other teams.
	WardCode string
	// WardRetiredAt is when the team's ward stopped being in force (the
	// team was then deactivated); nil while it has one.
	WardRetiredAt *time.Time
}

// Municipality is a tenant with its boundary.
type Municipality struct {
	Code     string
	Name     string
	Province string
	// Boundary is a GeoJSON MultiPolygon, or "" when not loaded.
	Boundary  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Assignment records that a ticket was given to a team (or triage) and
// perhaps a person. History is append-only.
type Assignment struct {
	ID              string
	Tenant          string
	TicketID        string
	Category        Category
	TeamID          string
	TeamName        string
	PersonID        string
	AssignedBy      string
	Reason          Reason
	Note            string
	EscalationLevel int32
	IsCurrent       bool
	CreatedAt       time.Time
	// WardCode is the ward of the ticket's location in the boundary set in
	// force when it was routed; set on a routing assignment for the ticket
	// service, not stored with the assignment.
	WardCode string
	// SealedNote is the note of a GBV assignment as stored, sealed; Note
	// stays "" until the app opens it for a caller who may read it.
	SealedNote *SealedNote
}

// SealedNote is a note sealed under the GBV key ring (AES-256-GCM).
type SealedNote struct {
	KeyID      string
	Nonce      []byte
	Ciphertext []byte
}

// QueuedTicket is a ticket in a queue with its current assignment.
type QueuedTicket struct {
	Assignment Assignment
	// Status is the last recorded ticket status ("open" when unknown).
	Status string
	// Priority is the last recorded priority ("" for none, or unknown).
	Priority string
	// BreachTime is the earliest of the last recorded SLA deadlines; nil
	// when no clock runs or none was recorded.
	BreachTime *time.Time
}
