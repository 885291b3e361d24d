package domain

import (
	"fmt"

	"github.com/salga/trustengine/libs/apperr"
)

// Errors the store interprets Postgres outcomes into, at its edge, and the
// use cases return. They are apperr errors, so they carry their gRPC code;
// nothing above the store sees pgx.ErrNoRows or a SQLSTATE.
var (
	// ErrTicketNotFound answers for a ticket routing has no assignment of
	// that the caller may see, whatever the reason: never routed, another
	// tenant's, or a GBV ticket asked for by anyone but the tenant's SAPS
	// liaison. One answer for all, so no caller learns that an id is a GBV
	// ticket.
	ErrTicketNotFound = apperr.NotFound("ticket")
	// ErrTeamNotFound answers for a team id the caller's scope does not see.
	ErrTeamNotFound = apperr.NotFound("team")
	// ErrMunicipalityNotFound answers for an unknown municipality code.
	ErrMunicipalityNotFound = apperr.NotFound("municipality")
	// ErrNoMunicipalityAt answers a jurisdiction look-up of a point no
	// municipality covers.
	ErrNoMunicipalityAt = apperr.NotFound("municipality at this location")
	// ErrTeamNameTaken refuses a second team of one name in a municipality.
	ErrTeamNameTaken = apperr.AlreadyExists("a team of that name already exists in the municipality")
	// ErrMunicipalityExists refuses creating a municipality whose code is
	// registered.
	ErrMunicipalityExists = apperr.AlreadyExists("a municipality with that code already exists")
	// ErrGBVOutsideSAPS is the database refusing a change that would put a
	// GBV ticket, or a SAPS team's escalation, outside SAPS teams. The use
	// cases check the rules first; the database refuses only what a
	// concurrent change of a team let through.
	ErrGBVOutsideSAPS = apperr.FailedPrecondition("a GBV ticket may only reach SAPS teams of its municipality, " +
		"and a team changed meanwhile; try again")
	// ErrNotRouted refuses escalating a ticket with no current assignment.
	ErrNotRouted = apperr.FailedPrecondition("ticket has no current assignment to escalate (not routed yet)")
	// ErrBoundaryVersionRaced refuses a boundary set another import of the
	// same municipality stored first with the same version or date.
	ErrBoundaryVersionRaced = apperr.AlreadyExists("another boundary set of the municipality was stored " +
		"with that version or effective time meanwhile; list the sets and try again")
)

// ErrNotRegistered refuses a team area, or an import of areas, in a
// municipality that has no boundary yet.
func ErrNotRegistered(code string) error {
	return apperr.FailedPrecondition(fmt.Sprintf("municipality %s is not registered; create it with its boundary first", code))
}
