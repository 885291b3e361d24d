package domain

import "errors"

// Sentinel errors the store returns and the app translates to apperr.
var (
	// ErrNotFound means the row does not exist or is not visible to the caller.
	ErrNotFound = errors.New("not found")
	// ErrDuplicateName means a team name is already used in the tenant.
	ErrDuplicateName = errors.New("duplicate team name")
	// ErrDuplicateCode means a municipality code is already registered.
	ErrDuplicateCode = errors.New("duplicate municipality code")
	// ErrGBVOutsideSAPS means the database refused a change that would put a
	// GBV ticket, or a SAPS team's escalation, outside SAPS teams.
	ErrGBVOutsideSAPS = errors.New("a GBV ticket may only reach SAPS teams")
)
