package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/salga/trustengine/libs/server"
)

// slowServer serves any method by waiting for d, as a request that is
// mid-transaction when SIGTERM arrives does.
func slowServer(t *testing.T, d, shutdown time.Duration) (*server.Server, *grpc.ClientConn) {
	t.Helper()
	srv := server.New(server.Options{Name: "test", GRPCAddr: "127.0.0.1:0", ShutdownTimeout: shutdown,
		ServerOptions: []grpc.ServerOption{grpc.UnknownServiceHandler(func(_ any, ss grpc.ServerStream) error {
			if err := ss.RecvMsg(&emptypb.Empty{}); err != nil {
				return err
			}
			select {
			case <-time.After(d):
				return ss.SendMsg(&emptypb.Empty{})
			case <-ss.Context().Done():
				return status.Error(codes.Unavailable, "cut at shutdown")
			}
		})}})
	require.NoError(t, srv.Listen(context.Background()))
	conn, err := grpc.NewClient(srv.GRPCAddr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return srv, conn
}

func TestShutdownDrainsRequestsInFlightWithinTheTimeoutAndCutsTheRest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		work     time.Duration
		shutdown time.Duration
		code     codes.Code
	}{
		{"a request shorter than the timeout finishes", time.Second, 5 * time.Second, codes.OK},
		{"a request longer than the timeout is cut when it runs out", 30 * time.Second, time.Second, codes.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, conn := slowServer(t, tt.work, tt.shutdown)
			ctx, stop := context.WithCancel(context.Background())
			ran := make(chan error, 1)
			go func() { ran <- srv.Run(ctx) }()
			answered := make(chan error, 1)
			go func() {
				answered <- conn.Invoke(context.Background(), "/test.Slow/Work", &emptypb.Empty{}, &emptypb.Empty{}, grpc.WaitForReady(true))
			}()
			time.Sleep(300 * time.Millisecond) // the request is in flight
			began := time.Now()
			stop() // SIGTERM
			require.Equal(t, tt.code, status.Code(<-answered), "the request in flight")
			require.NoError(t, <-ran, "a clean shutdown")
			require.Less(t, time.Since(began), tt.shutdown+2*time.Second, "within the shutdown timeout")
		})
	}
}
