package apperr

import (
	"context"
	"errors"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/salga/trustengine/libs/logging"
)

// internalMessage is all a caller learns about an unexpected failure.
const internalMessage = "internal error"

// unavailableMessage is what a caller learns when a dependency is away.
const unavailableMessage = "temporarily unavailable, try again"

// isUnavailable reports whether err, anywhere in its chain, says a
// dependency could not be reached (libs/pg's UnavailableError), by the
// method Unavailable() bool.
func isUnavailable(err error) bool {
	var u interface{ Unavailable() bool }
	return errors.As(err, &u) && u.Unavailable()
}

// ToStatus maps err to the status sent to the caller. A nil err gives an OK status.
// Domain errors keep their code and message (wrapping is seen through with errors.As);
// gRPC status errors pass through (except codes.Unknown, which is what a plain error
// wrapped by status.FromError looks like, so it is treated as unexpected); context cancellation and deadline map to Canceled
// and DeadlineExceeded; a dependency that could not be reached (an error
// with Unavailable() true, such as libs/pg's) maps to Unavailable; everything else is logged with its cause and becomes
// Internal "internal error".
func ToStatus(ctx context.Context, err error) *status.Status {
	if err == nil {
		return status.New(codes.OK, "")
	}
	var de *Error
	if errors.As(err, &de) {
		return domainStatus(ctx, de)
	}
	var se interface{ GRPCStatus() *status.Status }
	if errors.As(err, &se) {
		if st := se.GRPCStatus(); st != nil && st.Code() != codes.Unknown {
			return st
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return status.New(codes.Canceled, "request canceled")
	case errors.Is(err, context.DeadlineExceeded):
		return status.New(codes.DeadlineExceeded, "deadline exceeded")
	case isUnavailable(err):
		// The database (or another dependency) is away for a moment: the
		// caller may try again.
		logging.FromContext(ctx).WarnContext(ctx, "unavailable", "error", err.Error())
		return status.New(codes.Unavailable, unavailableMessage)
	}
	logging.FromContext(ctx).ErrorContext(ctx, "internal error", "error", err.Error())
	return status.New(codes.Internal, internalMessage)
}

func domainStatus(ctx context.Context, de *Error) *status.Status {
	st := status.New(de.code, de.msg)
	if de.code != codes.InvalidArgument || len(de.violations) == 0 {
		return st
	}
	br := &errdetails.BadRequest{}
	for _, v := range de.violations {
		br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{
			Field: v.Field, Description: v.Rule,
		})
	}
	withDetails, err := st.WithDetails(br)
	if err != nil {
		// The message already names every field, so the status is still useful.
		logging.FromContext(ctx).WarnContext(ctx, "apperr: attach BadRequest", "error", err.Error())
		return st
	}
	return withDetails
}

// UnaryServerInterceptor converts handler errors with ToStatus. Put it innermost in
// the chain so logging and metrics interceptors see the final code.
func UnaryServerInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		resp, err := h(ctx, req)
		if err != nil {
			return resp, ToStatus(ctx, err).Err()
		}
		return resp, nil
	}
}

// StreamServerInterceptor is the streaming counterpart of UnaryServerInterceptor.
func StreamServerInterceptor() grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
		if err := h(srv, ss); err != nil {
			return ToStatus(ss.Context(), err).Err()
		}
		return nil
	}
}
