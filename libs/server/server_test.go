package server_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/server"
)

func TestServerServesHealthReflectionAndAdminThenStops(t *testing.T) {
	t.Parallel()
	ready := errors.New("warming up")
	srv := server.New(server.Options{
		Name:      "test",
		GRPCAddr:  "127.0.0.1:0",
		AdminAddr: "127.0.0.1:0",
		Verifier:  auth.NewHS256Verifier([]byte("s")),
		Ready:     func(context.Context) error { return ready },
		// Development mode's reflection: served without a token.
		Reflection: true, OpenReflection: true,
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	require.NoError(t, srv.Listen(ctx))
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()

	conn, err := grpc.NewClient(srv.GRPCAddr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()

	require.Eventually(t, func() bool {
		resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
		return err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING
	}, 5*time.Second, 10*time.Millisecond)

	stream, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	require.NoError(t, err)
	require.NoError(t, stream.Send(&reflectionpb.ServerReflectionRequest{
		MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{},
	}))
	resp, err := stream.Recv()
	require.NoError(t, err)
	var names []string
	for _, s := range resp.GetListServicesResponse().GetService() {
		names = append(names, s.GetName())
	}
	require.Contains(t, names, "grpc.health.v1.Health")
	require.NoError(t, stream.CloseSend())

	admin := "http://" + srv.AdminAddr().String()
	require.Equal(t, http.StatusOK, get(t, admin+"/healthz"))
	require.Equal(t, http.StatusServiceUnavailable, get(t, admin+"/readyz"), "Ready's error makes the server unready")
	require.Equal(t, http.StatusOK, get(t, admin+"/metrics"))
	require.Equal(t, http.StatusNotFound, get(t, admin+"/debug/pprof/"), "profiles only when asked for")
	body := getBody(t, admin+"/metrics")
	require.Contains(t, body, `trustengine_grpc_server_handled_total{grpc_code="OK",grpc_method="/grpc.health.v1.Health/Check"}`)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestTheAdminPortServesProfilesWhenAskedTo(t *testing.T) {
	t.Parallel()
	srv := server.New(server.Options{Name: "test", GRPCAddr: "127.0.0.1:0", AdminAddr: "127.0.0.1:0",
		Verifier: auth.NewHS256Verifier([]byte("s")), Profiling: true})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	require.NoError(t, srv.Listen(ctx))
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	admin := "http://" + srv.AdminAddr().String()
	require.Contains(t, getBody(t, admin+"/debug/pprof/"), "goroutine")
	require.Contains(t, getBody(t, admin+"/debug/pprof/goroutine?debug=1"), "goroutine profile")
	cancel()
	require.NoError(t, <-done)
}

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	return resp.StatusCode
}

func getBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

func TestReflectionIsServedAsConfigured(t *testing.T) {
	t.Parallel()
	secret := []byte("s")
	token, err := auth.MintHS256(secret, auth.Claims{Subject: "dev", Tenant: "CPT", Roles: []string{auth.RoleAgent}}, time.Minute)
	require.NoError(t, err)
	tests := []struct {
		name             string
		reflection, open bool
		token            string
		code             codes.Code
	}{
		{"reflection is off by default", false, false, "", codes.Unimplemented},
		{"reflection is off by default even for a caller with a token", false, false, token, codes.Unimplemented},
		{"reflection turned on needs a token", true, false, "", codes.Unauthenticated},
		{"reflection turned on answers a caller with a token", true, false, token, codes.OK},
		{"open reflection answers without a token", true, true, "", codes.OK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := server.New(server.Options{GRPCAddr: "127.0.0.1:0", Verifier: auth.NewHS256Verifier(secret),
				Logger: slog.New(slog.DiscardHandler), Reflection: tt.reflection, OpenReflection: tt.open})
			ctx, cancel := context.WithCancel(context.Background())
			require.NoError(t, srv.Listen(ctx))
			done := make(chan error, 1)
			go func() { done <- srv.Run(ctx) }()
			t.Cleanup(func() { cancel(); require.NoError(t, <-done) })

			opts := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
			if tt.token != "" {
				opts = append(opts, grpc.WithPerRPCCredentials(auth.BearerCredentials(func() (string, error) { return tt.token, nil })))
			}
			conn, err := grpc.NewClient(srv.GRPCAddr().String(), opts...)
			require.NoError(t, err)
			defer conn.Close()
			stream, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
			require.NoError(t, err)
			err = stream.Send(&reflectionpb.ServerReflectionRequest{
				MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{},
			})
			if !errors.Is(err, io.EOF) { // EOF: the server ended the stream; Recv says why
				require.NoError(t, err)
			}
			resp, err := stream.Recv()
			require.Equal(t, tt.code, status.Code(err), "%v", err)
			if tt.code == codes.OK {
				require.NotEmpty(t, resp.GetListServicesResponse().GetService())
			}
		})
	}
}
