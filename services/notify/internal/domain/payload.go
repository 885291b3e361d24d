package domain

import (
	"encoding/json"
	"time"
)

// WebhookPayload is the JSON a team webhook receives for one message. A
// GBV ticket's payload has no category, and its text is the neutral text.
type WebhookPayload struct {
	// ID is the message's id: a receiver drops a repeated one (a retry).
	ID string `json:"id"`
	// Tenant is the municipality.
	Tenant string `json:"tenant"`
	// TicketID and Reference name the ticket.
	TicketID  string `json:"ticket_id,omitempty"`
	Reference string `json:"reference,omitempty"`
	// Event is the kind of event (assigned, escalated, sla_warning,
	// sla_breach), "digest" for a digest.
	Event string `json:"event"`
	// EventID is the ticket history entry's id.
	EventID string `json:"event_id,omitempty"`
	// Category is the ticket's category; never for GBV.
	Category string `json:"category,omitempty"`
	// Subject and Text are the message as an email would say it.
	Subject string `json:"subject,omitempty"`
	Text    string `json:"text"`
	// Time is when the message was made (RFC 3339).
	Time time.Time `json:"time"`
}

// PayloadOf is the webhook body of m about ticket t.
func PayloadOf(m Message, t Ticket) []byte {
	p := WebhookPayload{ID: m.ID, Tenant: m.Tenant, TicketID: m.TicketID, Reference: t.Reference, Event: string(m.Kind),
		EventID: m.EventID, Subject: m.Subject, Text: m.Body, Time: m.Create.UTC()}
	if m.Kind == "" {
		p.Event = "digest"
	}
	if !t.GBV && !m.GBV {
		p.Category = t.Category
	}
	b, _ := json.Marshal(p) // strings and a time: cannot fail
	return b
}
