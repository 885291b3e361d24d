package server

import (
	"context"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/logging"
)

// RequestIDHeader is the metadata key carrying the request id in both directions.
const RequestIDHeader = "x-request-id"

// call is per-RPC state filled in as the chain runs, so the logging interceptor,
// which runs before auth, can still report who called.
type call struct {
	requestID string
	subject   string
	tenant    string
}

type callKey struct{}

// RequestID returns the id of the RPC being served, or "" outside one.
func RequestID(ctx context.Context) string {
	if c, ok := ctx.Value(callKey{}).(*call); ok {
		return c.requestID
	}
	return ""
}

// startCall reads or generates the request id, echoes it as a response header and
// attaches it to the context and its logger.
func startCall(ctx context.Context, base *slog.Logger, method string) (context.Context, *call) {
	md, _ := metadata.FromIncomingContext(ctx)
	id := ""
	if v := md.Get(RequestIDHeader); len(v) > 0 && validRequestID(v[0]) {
		id = v[0]
	} else {
		id = uuid.NewString()
	}
	c := &call{requestID: id}
	ctx = context.WithValue(ctx, callKey{}, c)
	ctx = logging.WithLogger(ctx, base.With("request_id", id, "method", method))
	_ = grpc.SetHeader(ctx, metadata.Pairs(RequestIDHeader, id))
	return ctx, c
}

// validRequestID accepts caller-supplied ids only if short and printable, so log
// lines cannot be forged or bloated through the header.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, r := range id {
		if r < 0x21 || r > 0x7e {
			return false
		}
	}
	return true
}

// recovered turns a panic into Internal, logging the stack; the caller learns nothing.
func recovered(ctx context.Context, p any) error {
	logging.FromContext(ctx).ErrorContext(ctx, "panic in RPC", "panic", p, "stack", string(debug.Stack()))
	return status.Error(codes.Internal, "internal error")
}

func unaryRecovery(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (resp any, err error) {
	defer func() {
		if p := recover(); p != nil {
			resp, err = nil, recovered(ctx, p)
		}
	}()
	return h(ctx, req)
}

func streamRecovery(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = recovered(ss.Context(), p)
		}
	}()
	return h(srv, ss)
}

// logCall writes one line per RPC. Health checks log at debug so probes do not
// drown the log; server-side failures log at error.
func logCall(ctx context.Context, c *call, method string, start time.Time, err error) {
	code := status.Code(err)
	level := slog.LevelInfo
	switch {
	case auth.IsPublicMethod(method):
		level = slog.LevelDebug
	case code == codes.Internal || code == codes.Unknown || code == codes.DataLoss || code == codes.Unavailable:
		level = slog.LevelError
	}
	logging.FromContext(ctx).Log(ctx, level, "rpc",
		"code", code.String(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"subject", c.subject,
		"tenant", c.tenant,
	)
}

// annotate builds the call's access.Caller from the verified claims, once,
// for the handlers (access.FromContext), and records who called for logCall.
func annotate(ctx context.Context) context.Context {
	cl, ok := auth.FromContext(ctx)
	if !ok {
		return ctx
	}
	if c, ok := ctx.Value(callKey{}).(*call); ok {
		c.subject, c.tenant = cl.Subject, cl.Tenant
	}
	return access.WithCaller(ctx, access.FromClaims(cl))
}

// wrappedStream overrides a server stream's context.
type wrappedStream struct {
	grpc.ServerStream
	ctx context.Context
}

// Context returns the overridden context.
func (w *wrappedStream) Context() context.Context { return w.ctx }
