package domain

import (
	"errors"

	"github.com/salga/trustengine/libs/apperr"
)

// Errors the store interprets Postgres outcomes into, at its edge, and the
// use cases answer with. Those a caller may see are apperr errors, so they
// carry their gRPC code; the others the use cases handle. Nothing above the
// store sees pgx.ErrNoRows or a SQLSTATE.
var (
	// ErrCalendarNotFound answers for a calendar id that does not exist.
	ErrCalendarNotFound = apperr.NotFound("calendar")
	// ErrConfigNotFound answers for a policy id that does not exist.
	ErrConfigNotFound = apperr.NotFound("SLA configuration")
	// ErrClocksNotFound answers for a ticket without clocks the caller may
	// see: none, another municipality's, or a GBV ticket's asked for by
	// anyone who may not see GBV. One answer for all, so GBV ids cannot be
	// probed.
	ErrClocksNotFound = apperr.NotFound("ticket clocks")
	// ErrCalendarNameTaken answers a calendar name already in use.
	ErrCalendarNameTaken = apperr.AlreadyExists("a calendar with this name already exists")
	// ErrConfigTaken answers a second policy for a (municipality, category).
	ErrConfigTaken = apperr.AlreadyExists("an SLA configuration for this municipality, category and priority already exists")
	// ErrUnknownCalendar refuses a policy naming a calendar that does not
	// exist.
	ErrUnknownCalendar = apperr.Invalid("config.calendar_id", "must name an existing calendar")
	// ErrNotClockedYet answers a status change of a ticket whose created
	// event has not arrived: the sender retries after it.
	ErrNotClockedYet = apperr.FailedPrecondition("ticket has no clocks yet: its created event must be recorded first")
	// ErrOtherTenant refuses an event naming another municipality than the
	// one its ticket was created in.
	ErrOtherTenant = apperr.Invalid("tenant", "must be the tenant the ticket was created in")
	// ErrBadCursor refuses a feed cursor this service did not hand out.
	ErrBadCursor = apperr.Invalid("after", "must be a next_cursor this service returned")
	// ErrVersionMissing says a calendar version a clock names is not stored;
	// the clock then counts 24x7 (a lost calendar must not stop the clocks).
	ErrVersionMissing = errors.New("calendar version missing")
	// ErrScheduleNotFound answers a schedule that is not the caller's
	// municipality's (or does not exist).
	ErrScheduleNotFound = apperr.NotFound("report schedule")
	// ErrExportNotFound answers a file that is not the caller's
	// municipality's (or does not exist).
	ErrExportNotFound = apperr.NotFound("report export")
)
