// Package store is the Postgres edge of the SLA service: the SQL of schema
// "sla", run inside the transactions package app opens (pg.InTx under the
// caller's scope, so row-level security is the second wall behind every
// query's own filters, and River jobs join the same transaction).
//
// Errors are interpreted at this edge, one way: a Postgres outcome that
// means something to the service (no row, a taken name) leaves as one of
// the domain's errors (domain/errors.go); anything else leaves wrapped with
// the statement that failed. Nothing above the store sees pgx.ErrNoRows or
// a SQLSTATE.
package store

import (
	"fmt"
	"time"

	"github.com/salga/trustengine/libs/pg"
)

// outcomes name the domain errors a statement's Postgres outcomes mean;
// an outcome left nil stays an unexpected error.
type outcomes struct {
	// noRows is what a missing row means.
	noRows error
	// taken is what a unique violation means.
	taken error
}

// interpretError turns err of the statement op into the domain's error
// for its outcome, keeping the statement in the message for the logs.
func interpretError(op string, err error, o outcomes) error {
	switch {
	case err == nil:
		return nil
	case o.noRows != nil && pg.IsNoRows(err):
		return fmt.Errorf("%s: %w", op, o.noRows)
	case o.taken != nil && pg.IsUniqueViolation(err):
		return fmt.Errorf("%s: %w (%s)", op, o.taken, pg.ConstraintName(err))
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Lock says whether a read locks its rows until the transaction ends.
type Lock bool

// The two ways to read a row that may be changed.
const (
	// NoLock reads without locking.
	NoLock Lock = false
	// ForUpdate locks the rows read against concurrent changes.
	ForUpdate Lock = true
)

// wrap names the statement op in an unexpected error.
func wrap(op string, err error) error { return interpretError(op, err, outcomes{}) }

// nullTime turns the domain's zero time into SQL NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// fromNull turns a scanned NULL back into the zero time.
func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// nullID turns an empty id into SQL NULL (uuid columns reject ”).
func nullID(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}

func fromNullID(id *string) string {
	if id == nil {
		return ""
	}
	return *id
}
