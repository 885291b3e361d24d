// Package apperr defines the domain errors of Trust Engine and is the one place where
// they are translated to gRPC status codes.
//
// Application code returns these errors (wrapped as much as it likes); the server
// interceptor calls ToStatus on the way out. Anything that is not a domain error, a
// gRPC status or a context error becomes codes.Internal with a fixed message: the cause
// is logged, never sent, so SQL text or stack details cannot leak to callers.
package apperr

import (
	"errors"
	"fmt"
	"strings"

	"google.golang.org/grpc/codes"
)

// FieldViolation names one invalid request field and the rule it broke. Field uses
// the proto field path, e.g. "location.latitude".
type FieldViolation struct {
	// Field is the dotted path of the offending field.
	Field string
	// Rule says what the value must satisfy, e.g. "must be between -90 and 90".
	Rule string
}

// Error is a domain error carrying the gRPC code it maps to. Use the constructors
// rather than building one directly.
type Error struct {
	code       codes.Code
	msg        string
	violations []FieldViolation
}

// Error implements error.
func (e *Error) Error() string { return e.msg }

// Code returns the gRPC code the error maps to.
func (e *Error) Code() codes.Code { return e.code }

// Violations returns the field violations of an InvalidArgument error.
func (e *Error) Violations() []FieldViolation { return e.violations }

// Invalid reports one invalid field: InvalidArgument with a BadRequest detail and a
// message such as "invalid location.latitude: must be between -90 and 90".
func Invalid(field, rule string) error {
	return InvalidFields(FieldViolation{Field: field, Rule: rule})
}

// InvalidFields reports several invalid fields at once, so a client can fix all of
// them in one round trip.
func InvalidFields(vs ...FieldViolation) error {
	parts := make([]string, 0, len(vs))
	for _, v := range vs {
		parts = append(parts, fmt.Sprintf("invalid %s: %s", v.Field, v.Rule))
	}
	msg := strings.Join(parts, "; ")
	if msg == "" {
		msg = "invalid argument"
	}
	return &Error{code: codes.InvalidArgument, msg: msg, violations: vs}
}

// Within is err with the fields of its violations named inside parent
// ("requests[2]" turns "status" into "requests[2].status"), for the items
// of a batch; err unchanged when it names no field.
func Within(parent string, err error) error {
	var e *Error
	if !errors.As(err, &e) || len(e.violations) == 0 {
		return err
	}
	vs := make([]FieldViolation, len(e.violations))
	for i, v := range e.violations {
		vs[i] = FieldViolation{Field: parent + "." + v.Field, Rule: v.Rule}
	}
	return InvalidFields(vs...)
}

// Violations collects field violations, for a validation that reports every
// bad field of a request at once.
type Violations []FieldViolation

// Add records that field broke rule.
func (v *Violations) Add(field, rule string) {
	*v = append(*v, FieldViolation{Field: field, Rule: rule})
}

// Err is InvalidFields of the violations, or nil when there are none.
func (v Violations) Err() error {
	if len(v) == 0 {
		return nil
	}
	return InvalidFields(v...)
}

// NotFound reports that the named thing does not exist or is not visible to the
// caller; both read the same so tenants cannot probe each other's ids.
func NotFound(what string) error {
	return &Error{code: codes.NotFound, msg: what + " not found"}
}

// PermissionDenied reports an authenticated caller lacking the right to act.
func PermissionDenied(msg string) error { return &Error{code: codes.PermissionDenied, msg: msg} }

// FailedPrecondition reports a request that is well formed but not allowed in the
// current state, e.g. an illegal status transition.
func FailedPrecondition(msg string) error {
	return &Error{code: codes.FailedPrecondition, msg: msg}
}

// AlreadyExists reports a create that collides with an existing resource.
func AlreadyExists(msg string) error { return &Error{code: codes.AlreadyExists, msg: msg} }

// Unauthenticated reports a missing or invalid credential.
func Unauthenticated(msg string) error { return &Error{code: codes.Unauthenticated, msg: msg} }

// ResourceExhausted reports a quota or rate limit hit.
func ResourceExhausted(msg string) error {
	return &Error{code: codes.ResourceExhausted, msg: msg}
}
