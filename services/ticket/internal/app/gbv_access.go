package app

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// maxAccessTickets bounds one logged answer: the longest list another
// service answers with (a queue page) holds 1000 tickets.
const maxAccessTickets = 1000

// accessAction is the shape of a logged action: the answering service and
// its RPC, e.g. "routing.ListAssignments".
var accessAction = regexp.MustCompile(`^[a-z]{2,20}\.[A-Z][A-Za-z]{1,79}$`)

// accessRoles are the roles a logged caller may hold.
var accessRoles = []string{domain.RoleCitizen, domain.RoleAgent, domain.RoleTeamManager, domain.RoleMunicipalAdmin,
	domain.RoleSAPSLiaison, domain.RolePlatformAdmin, domain.RoleService}

// RecordGBVAccess logs an answer of another service that carried sealed
// content of GBV tickets (internal RPC), once per event id.
func (a *App) RecordGBVAccess(ctx context.Context, v domain.Viewer, e store.GBVAccess) (bool, error) {
	if err := requireService(v); err != nil {
		return false, err
	}
	if vs := gbvAccessViolations(e); len(vs) > 0 {
		return false, apperr.InvalidFields(vs...)
	}
	e.Time = e.Time.UTC().Truncate(time.Microsecond)
	ok, err := a.store.RecordGBVAccess(ctx, v, e)
	if err != nil {
		return false, fmt.Errorf("app.RecordGBVAccess: %w", err)
	}
	return ok, nil
}

// gbvAccessViolations lists what is wrong with e, field by field.
func gbvAccessViolations(e store.GBVAccess) []apperr.FieldViolation {
	var vs []apperr.FieldViolation
	bad := func(f, r string) { vs = append(vs, apperr.FieldViolation{Field: f, Rule: r}) }
	if !tenantPattern.MatchString(e.Tenant) {
		bad("tenant", "must be a municipality code of 2 to 8 upper-case letters and digits")
	}
	switch {
	case len(e.TicketIDs) == 0 || len(e.TicketIDs) > maxAccessTickets:
		bad("ticket_ids", fmt.Sprintf("must hold 1 to %d ticket ids", maxAccessTickets))
	case slices.ContainsFunc(e.TicketIDs, func(id string) bool { return checkID(id, "ticket_ids") != nil }):
		bad("ticket_ids", "must be UUIDs")
	case len(slices.Compact(slices.Sorted(slices.Values(e.TicketIDs)))) != len(e.TicketIDs):
		bad("ticket_ids", "must name each ticket once")
	}
	if r := domain.TextRule(e.Subject, 200, true); r != "" {
		bad("subject", r)
	}
	if len(e.Roles) == 0 || slices.ContainsFunc(e.Roles, func(r string) bool { return !slices.Contains(accessRoles, r) }) {
		bad("roles", "must hold at least one role, each a known one")
	}
	if !accessAction.MatchString(e.Action) {
		bad("action", `must be "<service>.<RPC>", e.g. routing.ListAssignments`)
	}
	if checkID(e.EventID, "event_id") != nil {
		bad("event_id", "must be a UUID")
	}
	if e.Time.IsZero() {
		bad("access_time", "is required")
	}
	return vs
}
