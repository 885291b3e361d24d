package domain

import "time"

// Disclosure is an answer that carried opened GBV notes: who got the notes
// of which tickets, from which RPC, when. It is what the platform's GBV
// access log (kept by the ticket service) records; it holds no content.
type Disclosure struct {
	Tenant    string
	TicketIDs []string
	Subject   string
	Roles     []string
	// Action is "routing.<RPC>", e.g. "routing.ListAssignments".
	Action string
	// EventID identifies the answer, so a redelivered record is logged once.
	EventID string
	Time    time.Time
}
