package peers_test

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/peers"
)

// replica is one loopback server answering any method, failing every call
// with Unavailable while down is set.
type replica struct {
	addr   string
	calls  atomic.Int64
	down   atomic.Bool
	health *health.Server
}

func startReplica(t *testing.T) *replica {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	r := &replica{addr: lis.Addr().String(), health: health.NewServer()}
	srv := grpc.NewServer(grpc.UnknownServiceHandler(func(_ any, ss grpc.ServerStream) error {
		r.calls.Add(1)
		if err := ss.RecvMsg(&emptypb.Empty{}); err != nil {
			return err
		}
		if r.down.Load() {
			return status.Error(codes.Unavailable, "replica down")
		}
		return ss.SendMsg(&emptypb.Empty{})
	}))
	healthpb.RegisterHealthServer(srv, r.health)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return r
}

func TestCallsSpreadOverAListOfReplicasAndSafeOnesMoveOnFromAFailingOne(t *testing.T) {
	t.Parallel()
	a, b := startReplica(t), startReplica(t)
	conn, err := peers.Connect(a.addr + "," + b.addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	ctx := context.Background()
	call := func(ctx context.Context, method string, req any) error {
		return conn.Invoke(ctx, method, req, &emptypb.Empty{})
	}

	for range 20 {
		require.NoError(t, call(ctx, "/test.Peer/Call", &emptypb.Empty{}))
	}
	require.Positive(t, a.calls.Load(), "round robin reaches the first replica")
	require.Positive(t, b.calls.Load(), "and the second")

	a.down.Store(true)
	tests := []struct {
		name   string
		ctx    context.Context
		method string
		req    any
		retry  bool
	}{
		{"a create with an idempotency key in its request", ctx, "/salga.ticket.v1.TicketService/CreateTicket",
			&ticketv1.CreateTicketRequest{IdempotencyKey: "k-1"}, true},
		{"a create whose key travels as the gateway's metadata", metadata.AppendToOutgoingContext(ctx, "idempotency-key", "k-2"),
			"/salga.ticket.v1.TicketService/CreateTicket", &ticketv1.CreateTicketRequest{}, true},
		{"a read the contract marks safe to repeat", ctx, "/salga.ticket.v1.TicketService/GetTicket", &ticketv1.GetTicketRequest{Id: "x"}, true},
		{"a create without a key", ctx, "/salga.ticket.v1.TicketService/CreateTicket", &ticketv1.CreateTicketRequest{}, false},
		{"a method the contracts do not know", ctx, "/test.Peer/Call", &emptypb.Empty{}, false},
	}
	for _, tt := range tests {
		require.Equal(t, tt.retry, peers.Idempotent(tt.ctx, tt.method, tt.req), tt.name)
		// Round robin alternates, so of 10 calls about half meet the
		// failing replica first.
		failed := 0
		for range 10 {
			if err := call(tt.ctx, tt.method, tt.req); err != nil {
				require.Equal(t, codes.Unavailable, status.Code(err), tt.name)
				failed++
			}
		}
		if tt.retry {
			require.Zero(t, failed, "%s: tried again on the healthy replica", tt.name)
		} else {
			require.Positive(t, failed, "%s: never sent twice", tt.name)
		}
	}
}

func TestAReplicaThatReportsNotServingGetsNoCalls(t *testing.T) {
	t.Parallel()
	a, b := startReplica(t), startReplica(t)
	a.health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	conn, err := peers.Connect(strings.Join([]string{a.addr, b.addr}, ", "))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	for range 20 {
		require.NoError(t, conn.Invoke(context.Background(), "/test.Peer/Call", &emptypb.Empty{}, &emptypb.Empty{}))
	}
	require.Zero(t, a.calls.Load(), "the replica shutting down is skipped")
	require.EqualValues(t, 20, b.calls.Load())
}
