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

// publicPrefixes are method prefixes callable without a token: load balancers and
// grpcurl must reach health and reflection before anyone has a credential.
var publicPrefixes = []string{"/grpc.health.v1.Health/", "/grpc.reflection."}

// IsPublicMethod reports whether fullMethod is served without authentication.
func IsPublicMethod(fullMethod string) bool {
	for _, p := range publicPrefixes {
		if strings.HasPrefix(fullMethod, p) {
			return true
		}
	}
	return false
}

// UnaryServerInterceptor authenticates each call from its "authorization: Bearer
// <jwt>" metadata and stores the claims with WithClaims.
func UnaryServerInterceptor(v *Verifier) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		if IsPublicMethod(info.FullMethod) {
			return h(ctx, req)
		}
		ctx, err := authenticate(ctx, v)
		if err != nil {
			return nil, err
		}
		return h(ctx, req)
	}
}

// StreamServerInterceptor is the streaming counterpart of UnaryServerInterceptor.
func StreamServerInterceptor(v *Verifier) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
		if IsPublicMethod(info.FullMethod) {
			return h(srv, ss)
		}
		ctx, err := authenticate(ss.Context(), v)
		if err != nil {
			return err
		}
		return h(srv, &contextStream{ServerStream: ss, ctx: ctx})
	}
}

func authenticate(ctx context.Context, v *Verifier) (context.Context, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	vals := md.Get("authorization")
	if len(vals) == 0 {
		return nil, status.Error(codes.Unauthenticated, "missing bearer token")
	}
	scheme, token, ok := strings.Cut(vals[0], " ")
	if !ok || !strings.EqualFold(scheme, "bearer") || token == "" {
		return nil, status.Error(codes.Unauthenticated, "authorization must be \"Bearer <token>\"")
	}
	c, err := v.Verify(strings.TrimSpace(token))
	if err != nil {
		// The reason helps operators; callers only learn that the token was refused.
		logging.FromContext(ctx).InfoContext(ctx, "token rejected", "error", err.Error())
		return nil, status.Error(codes.Unauthenticated, "invalid bearer token")
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
