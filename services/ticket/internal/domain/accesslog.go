package domain

import (
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
)

// Page sizes of the GBV access log.
const (
	defaultLogPage = 100
	maxLogPage     = 1000
)

// AccessLogQuery asks for a page of the GBV access log.
type AccessLogQuery struct {
	// Tenant and TicketID narrow the log when set.
	Tenant, TicketID string
	// PageSize is the most entries to return (0: the default).
	PageSize int
	// PageToken continues a previous page.
	PageToken string
}

// Validate refuses a malformed query, naming the field, and fills the
// default page size.
func (q *AccessLogQuery) Validate() error {
	if q.TicketID != "" {
		if err := CheckID(q.TicketID, "ticket_id"); err != nil {
			return err
		}
	}
	if q.PageSize < 0 {
		return apperr.Invalid("page_size", "must not be negative")
	}
	if q.PageSize == 0 {
		q.PageSize = defaultLogPage
	}
	q.PageSize = min(q.PageSize, maxLogPage)
	return nil
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
