// Package store is the Postgres adapter of the SLA service (schema sla). Every
// function runs inside a transaction opened by the caller with libs pg.InTx,
// so tenant row-level security applies and River jobs can join the same
// transaction. Postgres errors are translated to the sentinels below here.
package store

import (
	"errors"
	"fmt"
	"time"

	"github.com/salga/trustengine/libs/pg"
)

var (
	// ErrNotFound means the row does not exist or is not visible to the caller.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate means a unique key (a name, a (municipality, category))
	// is already taken.
	ErrDuplicate = errors.New("already exists")
	// ErrInUse means a row is still referenced (a calendar used by a policy).
	ErrInUse = errors.New("still in use")
)

// foreignKeyViolation is SQLSTATE 23503.
const foreignKeyViolation = "23503"

// interpretError maps Postgres failures to the package sentinels, keeping the
// original as the cause for logs.
func interpretError(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case pg.IsNoRows(err):
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	case pg.IsUniqueViolation(err):
		return fmt.Errorf("%s: %w (%s)", op, ErrDuplicate, pg.ConstraintName(err))
	case pg.SQLState(err) == foreignKeyViolation:
		return fmt.Errorf("%s: %w (%s)", op, ErrInUse, pg.ConstraintName(err))
	}
	return fmt.Errorf("%s: %w", op, err)
}

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
