package pg

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// UnavailableError is a failure to reach the database, or the loss of the
// connection under a statement: the database is restarting, failing over
// or unreachable. Nothing about the request was wrong, and a transaction
// that failed so did not commit (or, at its COMMIT, may have; only a call
// that is safe to repeat should be sent again). libs/apperr reports it to
// callers as Unavailable, which they may retry.
type UnavailableError struct{ err error }

// Error implements error.
func (e *UnavailableError) Error() string { return "database unavailable: " + e.err.Error() }

// Unwrap returns the driver's error.
func (e *UnavailableError) Unwrap() error { return e.err }

// Unavailable reports true: the marker libs/apperr maps to codes.Unavailable.
func (e *UnavailableError) Unavailable() bool { return true }

// classify wraps err in an UnavailableError when it says the database
// cannot be reached, and returns every other error as it is.
func classify(err error) error {
	if err == nil || !IsUnavailable(err) {
		return err
	}
	var ue *UnavailableError
	if errors.As(err, &ue) {
		return err
	}
	return &UnavailableError{err: err}
}

// IsUnavailable reports whether err means the database could not be
// reached or dropped the connection: a failed connect, a closed or broken
// connection, or a server that is shutting down or starting
// (SQLSTATE class 08, 57P01-57P03).
func IsUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ue *UnavailableError
	if errors.As(err, &ue) {
		return true
	}
	if code := SQLState(err); code != "" {
		return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
}
