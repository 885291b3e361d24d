package peers_test

import (
	"context"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/types/known/emptypb"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/peers"
)

var (
	serviceSecret = []byte("peers-test-service-secret")
	gatewaySecret = []byte("peers-test-gateway-secret")
)

// peer is a server that accepts any method and records the verified claims
// of each call.
type peer struct {
	mu     sync.Mutex
	claims []auth.Claims
}

func (p *peer) seen() []auth.Claims {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]auth.Claims(nil), p.claims...)
}

// start serves p over bufconn and dials it as id.
func start(t *testing.T, id peers.Identity) (*peer, *grpc.ClientConn) {
	t.Helper()
	v, err := auth.NewVerifier(auth.Keys{UserSecret: []byte("peers-test-user-secret"), ServiceSecret: serviceSecret, GatewaySecret: gatewaySecret})
	require.NoError(t, err)
	p := &peer{}
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(grpc.UnknownServiceHandler(func(_ any, ss grpc.ServerStream) error {
		md, _ := metadata.FromIncomingContext(ss.Context())
		tok, ok := auth.BearerToken(md.Get("authorization")[0])
		if !ok {
			return status.Error(codes.Unauthenticated, "no token")
		}
		c, err := v.Verify(tok)
		if err != nil {
			return status.Error(codes.Unauthenticated, err.Error())
		}
		p.mu.Lock()
		p.claims = append(p.claims, c)
		p.mu.Unlock()
		if err := ss.RecvMsg(&emptypb.Empty{}); err != nil {
			return err
		}
		return ss.SendMsg(&emptypb.Empty{})
	}))
	// Dial checks the peer's health before sending it calls, as every
	// service serves it.
	healthpb.RegisterHealthServer(srv, health.NewServer())
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := peers.Dial("passthrough:///bufconn", id,
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return p, conn
}

func TestEveryCallCarriesATokenForTheTenantOfItsWork(t *testing.T) {
	t.Parallel()
	p, conn := start(t, peers.Service(serviceSecret, "ticket"))
	call := func(ctx context.Context, req any) error {
		return conn.Invoke(ctx, "/test.Peer/Call", req, &emptypb.Empty{})
	}
	ctx := context.Background()
	require.NoError(t, call(peers.ForTenant(ctx, "CPT"), &emptypb.Empty{}))
	require.NoError(t, call(peers.ForTenant(ctx, "JHB"), &ticketv1.RecordDeadlinesRequest{Tenant: "JHB"}))
	require.NoError(t, call(peers.ForTenant(ctx, "CPT"), &emptypb.Empty{}))
	require.NoError(t, call(peers.AllTenants(ctx), &emptypb.Empty{}))
	got := p.seen()
	require.Len(t, got, 4)
	for i, tenant := range []string{"CPT", "JHB", "CPT", auth.AllTenants} {
		require.Equal(t, auth.Claims{Subject: "ticket", Tenant: tenant, Roles: []string{auth.RoleService}, Kind: auth.KindService}, got[i])
	}
}

func TestACallWithoutItsTenantNeverLeaves(t *testing.T) {
	t.Parallel()
	service, serviceConn := start(t, peers.Service(serviceSecret, "sla"))
	gateway, gatewayConn := start(t, peers.Gateway(gatewaySecret))
	ctx := context.Background()
	tests := []struct {
		name string
		conn *grpc.ClientConn
		ctx  context.Context
		req  any
		code codes.Code
	}{
		{"a call that names no tenant", serviceConn, ctx, &emptypb.Empty{}, codes.FailedPrecondition},
		{"a call whose request is about another tenant", serviceConn, peers.ForTenant(ctx, "CPT"), &ticketv1.RecordDeadlinesRequest{Tenant: "JHB"}, codes.FailedPrecondition},
		{"a call about one tenant marked for all", serviceConn, peers.AllTenants(ctx), &ticketv1.RecordDeadlinesRequest{Tenant: "JHB"}, codes.FailedPrecondition},
		{"a call for a tenant that is no municipality code", serviceConn, peers.ForTenant(ctx, "cpt' or 1=1"), &emptypb.Empty{}, codes.InvalidArgument},
		{"a gateway call for every tenant", gatewayConn, peers.AllTenants(ctx), &emptypb.Empty{}, codes.FailedPrecondition},
		{"a gateway call that names no tenant", gatewayConn, ctx, &emptypb.Empty{}, codes.FailedPrecondition},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.conn.Invoke(tt.ctx, "/test.Peer/Call", tt.req, &emptypb.Empty{})
			require.Equal(t, tt.code, status.Code(err), "%v", err)
		})
	}
	require.Empty(t, service.seen(), "no refused call reached the peer")
	require.Empty(t, gateway.seen(), "no refused call reached the peer")

	require.NoError(t, gatewayConn.Invoke(peers.ForTenant(ctx, "WC024"), "/test.Peer/Call", &emptypb.Empty{}, &emptypb.Empty{}))
	require.Equal(t, []auth.Claims{{Subject: "gateway", Tenant: "WC024", Roles: []string{auth.RoleService}, Kind: auth.KindGateway}}, gateway.seen())
}
