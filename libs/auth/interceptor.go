package auth

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/salga/trustengine/libs/logging"
)

// healthPrefix is the one service callable without a token everywhere: load
// balancers must reach health checks before anyone has a credential.
const healthPrefix = "/grpc.health.v1.Health/"

// reflectionPrefix covers both versions of server reflection. Reflection
// lists every service and message of a process, so it needs a token like any
// other RPC unless Public.Reflection opens it (development mode).
const reflectionPrefix = "/grpc.reflection."

// IsPublicMethod reports whether fullMethod is served without authentication
// on every server (health checks).
func IsPublicMethod(fullMethod string) bool { return strings.HasPrefix(fullMethod, healthPrefix) }

// Public lists what a server serves without a token besides health checks.
type Public struct {
	// Reflection serves gRPC server reflection without a token. Only
	// development mode sets it.
	Reflection bool
}

// allows reports whether fullMethod needs no token on this server.
func (p Public) allows(fullMethod string) bool {
	return IsPublicMethod(fullMethod) || (p.Reflection && strings.HasPrefix(fullMethod, reflectionPrefix))
}

// UnaryServerInterceptor authenticates each call from its "authorization: Bearer
// <jwt>" metadata and stores the claims with WithClaims. Only health checks and
// what p opens are served without a token; a gateway token is refused with
// PermissionDenied on every RPC but those GatewayMayCall lists.
func UnaryServerInterceptor(v *Verifier, p Public) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		if p.allows(info.FullMethod) {
			return h(ctx, req)
		}
		ctx, err := authenticate(ctx, v, info.FullMethod)
		if err != nil {
			return nil, err
		}
		return h(ctx, req)
	}
}

// StreamServerInterceptor is the streaming counterpart of UnaryServerInterceptor.
func StreamServerInterceptor(v *Verifier, p Public) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
		if p.allows(info.FullMethod) {
			return h(srv, ss)
		}
		ctx, err := authenticate(ss.Context(), v, info.FullMethod)
		if err != nil {
			return err
		}
		return h(srv, &contextStream{ServerStream: ss, ctx: ctx})
	}
}

func authenticate(ctx context.Context, v *Verifier, method string) (context.Context, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	vals := md.Get("authorization")
	switch len(vals) {
	case 0:
		return nil, status.Error(codes.Unauthenticated, "missing bearer token")
	case 1:
	default:
		// Two credentials leave it to chance which one a reader takes.
		return nil, status.Error(codes.Unauthenticated, "authorization must be given once")
	}
	token, ok := BearerToken(vals[0])
	if !ok {
		return nil, status.Error(codes.Unauthenticated, "authorization must be \"Bearer <token>\"")
	}
	c, err := v.Verify(token)
	if err != nil {
		// The reason helps operators; callers only learn that the token was refused.
		logging.FromContext(ctx).InfoContext(ctx, "token rejected", "error", err.Error())
		return nil, status.Error(codes.Unauthenticated, "invalid bearer token")
	}
	if c.Kind == KindGateway && !GatewayMayCall(method) {
		// The one place the gateway's narrow identity is enforced: every
		// server runs this interceptor before any handler.
		logging.FromContext(ctx).WarnContext(ctx, "gateway token refused", "method", method)
		return nil, status.Error(codes.PermissionDenied, "the gateway's identity may not call this RPC")
	}
	ctx = WithClaims(ctx, c)
	ctx = logging.WithLogger(ctx, logging.FromContext(ctx).With("subject", c.Subject, "tenant", c.Tenant))
	return ctx, nil
}

// contextStream overrides the context of a server stream.
type contextStream struct {
	grpc.ServerStream
	ctx context.Context
}

// Context returns the authenticated context.
func (s *contextStream) Context() context.Context { return s.ctx }
