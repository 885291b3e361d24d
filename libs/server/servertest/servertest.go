// Package servertest runs gRPC handlers behind the real server.Server interceptor
// chain over an in-memory bufconn connection, so handler tests exercise auth,
// error mapping and deadlines exactly as production does.
package servertest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/test/bufconn"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/server"
)

// Secret is the HS256 secret the Bufconn server verifies user tokens with.
var Secret = []byte("servertest-secret")

// ServiceSecret and GatewaySecret are the secrets of the Bufconn server's
// service and gateway tokens.
var (
	ServiceSecret = []byte("servertest-service-secret")
	GatewaySecret = []byte("servertest-gateway-secret")
)

// Bufconn starts a server.Server with the standard chain (authenticating with
// Secret, ServiceSecret and GatewaySecret) plus interceptors, lets register add services, and returns a client
// connection to it. Everything is torn down when the test ends. Set
// SERVERTEST_LOG=1 to see the server's logs.
func Bufconn(t testing.TB, register func(*grpc.Server), interceptors ...grpc.UnaryServerInterceptor) *grpc.ClientConn {
	t.Helper()
	return BufconnWith(t, register, Options{Interceptors: interceptors})
}

// Options tune the server BufconnWith starts.
type Options struct {
	// Interceptors run after the standard chain's auth.
	Interceptors []grpc.UnaryServerInterceptor
	// MaxMsgSize, when set, raises the message size limit of the server and
	// the client (as a service's own gRPC options do, e.g. for imports).
	MaxMsgSize int
}

// BufconnWith is Bufconn with Options.
func BufconnWith(t testing.TB, register func(*grpc.Server), o Options) *grpc.ClientConn {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	var out io.Writer = io.Discard
	if os.Getenv("SERVERTEST_LOG") != "" {
		out = os.Stderr
	}
	verifier, err := auth.NewVerifier(auth.Keys{UserSecret: Secret, ServiceSecret: ServiceSecret, GatewaySecret: GatewaySecret})
	if err != nil {
		t.Fatalf("servertest.Bufconn: %v", err)
	}
	srv := server.New(server.Options{
		Name:              "servertest",
		Listener:          lis,
		Logger:            slog.New(slog.NewJSONHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Verifier:          verifier,
		ShutdownTimeout:   5 * time.Second,
		UnaryInterceptors: o.Interceptors,
		ServerOptions:     serverOptions(o),
	})
	if register != nil {
		register(srv.GRPC())
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()

	dialOpts := []grpc.DialOption{
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	}
	if o.MaxMsgSize > 0 {
		dialOpts = append(dialOpts, grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(o.MaxMsgSize), grpc.MaxCallSendMsgSize(o.MaxMsgSize)))
	}
	conn, err := grpc.NewClient("passthrough:///bufconn", dialOpts...)
	if err != nil {
		cancel()
		t.Fatalf("servertest.Bufconn: grpc.NewClient: %v", err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("servertest.Bufconn: server: %v", err)
		}
	})
	return conn
}

func serverOptions(o Options) []grpc.ServerOption {
	if o.MaxMsgSize <= 0 {
		return nil
	}
	return []grpc.ServerOption{grpc.MaxRecvMsgSize(o.MaxMsgSize), grpc.MaxSendMsgSize(o.MaxMsgSize)}
}

// Token mints a one-hour token for c: a service token for c.Subject and
// c.Tenant (a municipality, or "*" for all) signed with ServiceSecret when c
// holds the service role (service tokens carry that role alone), else a
// user token signed with Secret.
func Token(t testing.TB, c auth.Claims) string {
	t.Helper()
	var (
		tok string
		err error
	)
	if c.HasRole(auth.RoleService) {
		tok, err = auth.MintService(ServiceSecret, c.Subject, c.Tenant, time.Hour)
	} else {
		tok, err = auth.MintHS256(Secret, c, time.Hour)
	}
	if err != nil {
		t.Fatalf("servertest.Token: %v", err)
	}
	return tok
}

// GatewayToken mints a one-hour gateway token for jurisdiction tenant,
// signed with GatewaySecret.
func GatewayToken(t testing.TB, tenant string) string {
	t.Helper()
	tok, err := auth.MintGateway(GatewaySecret, tenant, time.Hour)
	if err != nil {
		t.Fatalf("servertest.GatewayToken: %v", err)
	}
	return tok
}

// WithToken returns ctx with "authorization: Bearer <token>" outgoing metadata.
func WithToken(ctx context.Context, token string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
}
