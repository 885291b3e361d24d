package domain

import (
	"slices"
	"time"
)

// The actions of the GBV access log: the RPCs whose answers hold
// assignments, named as the log names them.
const (
	ActionRouteTicket     = "routing.RouteTicket"
	ActionEscalateTicket  = "routing.EscalateTicket"
	ActionReassignTicket  = "routing.ReassignTicket"
	ActionListAssignments = "routing.ListAssignments"
	ActionListTeamQueue   = "routing.ListTeamQueue"
	ActionListTriageQueue = "routing.ListTriageQueue"
)

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

// Reader is who an answer is for, as the access log names them.
type Reader struct {
	Subject string
	Roles   []string
}

// Disclosures are the access-log records of an answer to r through action
// that carries the assignments as: one per tenant whose tickets' sealed
// notes it opens, each ticket once; none when no note is sealed. newID
// names each record's event.
func Disclosures(r Reader, action string, now time.Time, newID func() string, as ...*Assignment) []Disclosure {
	var out []Disclosure
	for _, a := range as {
		if a.SealedNote == nil {
			continue
		}
		i := slices.IndexFunc(out, func(d Disclosure) bool { return d.Tenant == a.Tenant })
		if i < 0 {
			out = append(out, Disclosure{Tenant: a.Tenant, Subject: r.Subject, Roles: r.Roles, Action: action, EventID: newID(), Time: now})
			i = len(out) - 1
		}
		if !slices.Contains(out[i].TicketIDs, a.TicketID) {
			out[i].TicketIDs = append(out[i].TicketIDs, a.TicketID)
		}
	}
	return out
}
