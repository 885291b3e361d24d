package server

import (
	"context"
	"log/slog"
	"time"

	"google.golang.org/grpc"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
)

// unaryChain builds the server's unary interceptors, outermost first:
// request id, recovery, logging, metrics, default deadline, auth, the caller
// (access.Caller, built once from the claims),
// the service's own interceptors, apperr mapping, and an inner recovery so a handler
// panic is still logged and counted as Internal.
func unaryChain(o Options) []grpc.UnaryServerInterceptor {
	chain := []grpc.UnaryServerInterceptor{
		unaryObserve(o.Logger),
		unaryRecovery,
		unaryMetrics,
		unaryDeadline(o.DefaultTimeout),
	}
	if o.Verifier != nil {
		chain = append(chain, auth.UnaryServerInterceptor(o.Verifier, auth.Public{Reflection: o.OpenReflection}))
	}
	chain = append(chain, func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		return h(annotate(ctx), req)
	})
	chain = append(chain, o.UnaryInterceptors...)
	return append(chain, apperr.UnaryServerInterceptor(), unaryRecovery)
}

// streamChain is unaryChain for streams, without the default deadline: streams
// such as watches are expected to outlive it.
func streamChain(o Options) []grpc.StreamServerInterceptor {
	chain := []grpc.StreamServerInterceptor{streamObserve(o.Logger), streamRecovery, streamMetrics}
	if o.Verifier != nil {
		chain = append(chain, auth.StreamServerInterceptor(o.Verifier, auth.Public{Reflection: o.OpenReflection}))
	}
	chain = append(chain, func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
		return h(srv, &wrappedStream{ServerStream: ss, ctx: annotate(ss.Context())})
	})
	chain = append(chain, o.StreamInterceptors...)
	return append(chain, apperr.StreamServerInterceptor(), streamRecovery)
}

// unaryObserve is the request-id and logging pair, one interceptor because they
// share the per-call state. A panic below it is caught by the recovery right after.
func unaryObserve(base *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		ctx, c := startCall(ctx, base, info.FullMethod)
		start := time.Now()
		resp, err := h(ctx, req)
		logCall(ctx, c, info.FullMethod, start, err)
		return resp, err
	}
}

func streamObserve(base *slog.Logger) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
		ctx, c := startCall(ss.Context(), base, info.FullMethod)
		start := time.Now()
		err := h(srv, &wrappedStream{ServerStream: ss, ctx: ctx})
		logCall(ctx, c, info.FullMethod, start, err)
		return err
	}
}

// unaryDeadline bounds calls that arrive without a deadline, so a stuck query cannot
// hold a connection forever. Deadlines set by the caller propagate untouched.
func unaryDeadline(d time.Duration) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		if _, ok := ctx.Deadline(); ok || d <= 0 {
			return h(ctx, req)
		}
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return h(ctx, req)
	}
}
