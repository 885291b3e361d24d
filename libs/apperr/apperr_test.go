package apperr_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/salga/trustengine/libs/apperr"
)

func TestToStatusMapsEachErrorToItsCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		err     error
		code    codes.Code
		message string
	}{
		{"an invalid field is InvalidArgument naming field and rule", apperr.Invalid("location.latitude", "must be between -90 and 90"), codes.InvalidArgument, "invalid location.latitude: must be between -90 and 90"},
		{"a missing thing is NotFound", apperr.NotFound("ticket"), codes.NotFound, "ticket not found"},
		{"a forbidden act is PermissionDenied", apperr.PermissionDenied("no"), codes.PermissionDenied, "no"},
		{"an illegal transition is FailedPrecondition", apperr.FailedPrecondition("closed"), codes.FailedPrecondition, "closed"},
		{"a duplicate is AlreadyExists", apperr.AlreadyExists("dup"), codes.AlreadyExists, "dup"},
		{"a bad credential is Unauthenticated", apperr.Unauthenticated("who"), codes.Unauthenticated, "who"},
		{"a quota hit is ResourceExhausted", apperr.ResourceExhausted("slow down"), codes.ResourceExhausted, "slow down"},
		{"a wrapped domain error still maps", fmt.Errorf("ticket.Get: %w", apperr.NotFound("ticket")), codes.NotFound, "ticket not found"},
		{"a gRPC status passes through", status.Error(codes.Unavailable, "down"), codes.Unavailable, "down"},
		{"a cancelled context is Canceled", fmt.Errorf("q: %w", context.Canceled), codes.Canceled, "request canceled"},
		{"an expired deadline is DeadlineExceeded", context.DeadlineExceeded, codes.DeadlineExceeded, "deadline exceeded"},
		{"a dependency that cannot be reached is Unavailable and leaks no cause", fmt.Errorf("pg.InTx: %w", unreachable{}), codes.Unavailable, "temporarily unavailable, try again"},
		{"an unknown error is Internal and leaks no cause", errors.New("pq: password=hunter2 relation secret"), codes.Internal, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := apperr.ToStatus(context.Background(), tt.err)
			require.Equal(t, tt.code, st.Code())
			require.Equal(t, tt.message, st.Message())
		})
	}
}

func TestInvalidFieldsCarriesBadRequestDetails(t *testing.T) {
	t.Parallel()
	err := apperr.InvalidFields(
		apperr.FieldViolation{Field: "category", Rule: "must be one of water, roads"},
		apperr.FieldViolation{Field: "location.longitude", Rule: "must be finite"},
	)
	st := apperr.ToStatus(context.Background(), fmt.Errorf("wrap: %w", err))
	require.Equal(t, codes.InvalidArgument, st.Code())
	require.Len(t, st.Details(), 1)
	br, ok := st.Details()[0].(*errdetails.BadRequest)
	require.True(t, ok)
	require.Len(t, br.GetFieldViolations(), 2)
	require.Equal(t, "location.longitude", br.GetFieldViolations()[1].GetField())
	require.Equal(t, "must be finite", br.GetFieldViolations()[1].GetDescription())
}

func TestNilErrorIsOK(t *testing.T) {
	t.Parallel()
	require.Equal(t, codes.OK, apperr.ToStatus(context.Background(), nil).Code())
}

func TestViolationsReportEveryFieldOrNothing(t *testing.T) {
	t.Parallel()
	var none apperr.Violations
	require.NoError(t, none.Err())
	var vs apperr.Violations
	vs.Add("tenant", "is required")
	vs.Add("ticket_id", "must be a UUID")
	var ae *apperr.Error
	require.ErrorAs(t, vs.Err(), &ae)
	require.Equal(t, codes.InvalidArgument, ae.Code())
	require.Equal(t, []apperr.FieldViolation{{Field: "tenant", Rule: "is required"}, {Field: "ticket_id", Rule: "must be a UUID"}}, ae.Violations())
	require.Equal(t, "invalid tenant: is required; invalid ticket_id: must be a UUID", ae.Error())
}

func TestWithinNamesTheFieldsInsideTheirParent(t *testing.T) {
	t.Parallel()
	var vs apperr.Violations
	vs.Add("status", "is required")
	vs.Add("location.latitude", "must be between -90 and 90")
	var ae *apperr.Error
	require.ErrorAs(t, apperr.Within("requests[2]", fmt.Errorf("wrapped: %w", vs.Err())), &ae)
	require.Equal(t, codes.InvalidArgument, ae.Code())
	require.Equal(t, []apperr.FieldViolation{{Field: "requests[2].status", Rule: "is required"},
		{Field: "requests[2].location.latitude", Rule: "must be between -90 and 90"}}, ae.Violations())
	// An error naming no field is left as it is.
	other := apperr.NotFound("ticket")
	require.Same(t, other, apperr.Within("requests[0]", other))
}

// unreachable is an error saying a dependency could not be reached, as
// libs/pg's UnavailableError does.
type unreachable struct{}

func (unreachable) Error() string     { return "dial tcp 10.0.0.5:5432: connect: connection refused" }
func (unreachable) Unavailable() bool { return true }
