package servertest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/server"
	"github.com/salga/trustengine/libs/server/servertest"
)

// probe is a hand-written service, standing in for generated code, whose methods
// exercise each part of the interceptor chain.
var probeDesc = grpc.ServiceDesc{
	ServiceName: "test.v1.Probe",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{
		method("Whoami", func(ctx context.Context) (any, error) {
			c, _ := auth.FromContext(ctx)
			return wrapperspb.String(fmt.Sprintf("%s@%s %s", c.Subject, c.Tenant, server.RequestID(ctx))), nil
		}),
		method("Caller", func(ctx context.Context) (any, error) {
			c, err := access.FromContext(ctx)
			if err != nil {
				return nil, err
			}
			sc := c.Scope()
			return wrapperspb.String(fmt.Sprintf("%s@%s all=%t staff=%t service=%t gbv=%t", sc.Subject, sc.Tenant, sc.AllTenants,
				c.IsStaff(), c.IsService(), c.CanSeeGBV())), nil
		}),
		method("Missing", func(context.Context) (any, error) {
			return nil, fmt.Errorf("probe.Missing: %w", apperr.NotFound("ticket"))
		}),
		method("Leak", func(context.Context) (any, error) {
			return nil, fmt.Errorf("SELECT secret FROM vault: connection refused")
		}),
		method("Panic", func(context.Context) (any, error) { panic("boom") }),
		method("Deadline", func(ctx context.Context) (any, error) {
			d, ok := ctx.Deadline()
			if !ok {
				return nil, apperr.FailedPrecondition("no deadline")
			}
			return durationpb.New(time.Until(d)), nil
		}),
	},
}

func method(name string, fn func(context.Context) (any, error)) grpc.MethodDesc {
	return grpc.MethodDesc{MethodName: name, Handler: func(_ any, ctx context.Context, dec func(any) error, in grpc.UnaryServerInterceptor) (any, error) {
		if err := dec(new(emptypb.Empty)); err != nil {
			return nil, err
		}
		info := &grpc.UnaryServerInfo{FullMethod: "/test.v1.Probe/" + name}
		if in == nil {
			return fn(ctx)
		}
		return in(ctx, new(emptypb.Empty), info, func(ctx context.Context, _ any) (any, error) { return fn(ctx) })
	}}
}

func newConn(t *testing.T) *grpc.ClientConn {
	return servertest.Bufconn(t, func(s *grpc.Server) { s.RegisterService(&probeDesc, struct{}{}) })
}

func agentCtx(t *testing.T) context.Context {
	return servertest.WithToken(context.Background(), servertest.Token(t, auth.Claims{Subject: "a1", Tenant: "CPT", Roles: []string{auth.RoleAgent}}))
}

func TestChainMapsOutcomesToCodes(t *testing.T) {
	t.Parallel()
	conn := newConn(t)
	tests := []struct {
		name    string
		method  string
		ctx     context.Context
		code    codes.Code
		message string
	}{
		{"a call without a token is Unauthenticated", "Whoami", context.Background(), codes.Unauthenticated, "missing bearer token"},
		{"a wrapped domain error keeps its code", "Missing", agentCtx(t), codes.NotFound, "ticket not found"},
		{"an unexpected error is Internal without its cause", "Leak", agentCtx(t), codes.Internal, "internal error"},
		{"a panic is Internal", "Panic", agentCtx(t), codes.Internal, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := conn.Invoke(tt.ctx, "/test.v1.Probe/"+tt.method, &emptypb.Empty{}, &emptypb.Empty{})
			st := status.Convert(err)
			require.Equal(t, tt.code, st.Code())
			require.Equal(t, tt.message, st.Message())
		})
	}
}

func TestChainAuthenticatesAndEchoesRequestID(t *testing.T) {
	t.Parallel()
	conn := newConn(t)
	ctx := metadata.AppendToOutgoingContext(agentCtx(t), server.RequestIDHeader, "req-42")
	var header metadata.MD
	out := &wrapperspb.StringValue{}
	require.NoError(t, conn.Invoke(ctx, "/test.v1.Probe/Whoami", &emptypb.Empty{}, out, grpc.Header(&header)))
	require.Equal(t, "a1@CPT req-42", out.GetValue())
	require.Equal(t, []string{"req-42"}, header.Get(server.RequestIDHeader))

	header = nil
	require.NoError(t, conn.Invoke(agentCtx(t), "/test.v1.Probe/Whoami", &emptypb.Empty{}, out, grpc.Header(&header)))
	require.Len(t, header.Get(server.RequestIDHeader)[0], 36, "a UUID is generated when none is sent")
}

func TestChainBuildsTheCallerOnceFromTheToken(t *testing.T) {
	t.Parallel()
	conn := newConn(t)
	tests := []struct {
		name   string
		claims auth.Claims
		want   string
	}{
		{"an agent is staff of its municipality", auth.Claims{Subject: "a1", Tenant: "CPT", Roles: []string{auth.RoleAgent}},
			"a1@CPT all=false staff=true service=false gbv=false"},
		{"a service token names its job's municipality", auth.Claims{Subject: "sla", Tenant: "JHB", Roles: []string{auth.RoleService}},
			"sla@JHB all=false staff=false service=true gbv=true"},
		{"a service token for all municipalities is bound to none", auth.Claims{Subject: "notify", Tenant: "*", Roles: []string{auth.RoleService}},
			"notify@ all=false staff=false service=true gbv=true"},
		{"a platform admin reads every municipality", auth.Claims{Subject: "root", Tenant: "*", Roles: []string{auth.RolePlatformAdmin}},
			"root@ all=true staff=false service=false gbv=false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := &wrapperspb.StringValue{}
			ctx := servertest.WithToken(context.Background(), servertest.Token(t, tt.claims))
			require.NoError(t, conn.Invoke(ctx, "/test.v1.Probe/Caller", &emptypb.Empty{}, out))
			require.Equal(t, tt.want, out.GetValue())
		})
	}
	out := &wrapperspb.StringValue{}
	ctx := servertest.WithToken(context.Background(), servertest.GatewayToken(t, "CPT"))
	err := conn.Invoke(ctx, "/test.v1.Probe/Caller", &emptypb.Empty{}, out)
	require.Equal(t, codes.PermissionDenied, status.Code(err), "the gateway reaches only its RPCs")
}

func TestChainAppliesADefaultDeadlineOnlyWhenNoneIsSet(t *testing.T) {
	t.Parallel()
	conn := newConn(t)
	left := &durationpb.Duration{}
	require.NoError(t, conn.Invoke(agentCtx(t), "/test.v1.Probe/Deadline", &emptypb.Empty{}, left))
	require.InDelta(t, server.DefaultRPCTimeout.Seconds(), left.AsDuration().Seconds(), 1)

	ctx, cancel := context.WithTimeout(agentCtx(t), 3*time.Second)
	defer cancel()
	require.NoError(t, conn.Invoke(ctx, "/test.v1.Probe/Deadline", &emptypb.Empty{}, left))
	require.LessOrEqual(t, left.AsDuration(), 3*time.Second)
}

func TestHealthNeedsNoToken(t *testing.T) {
	t.Parallel()
	conn := newConn(t)
	require.Eventually(t, func() bool {
		resp, err := healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{Service: "test.v1.Probe"})
		return err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING
	}, 5*time.Second, 10*time.Millisecond)
}
