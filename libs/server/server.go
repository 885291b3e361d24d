// Package server bootstraps a Trust Engine gRPC service: the shared interceptor
// chain (request id, recovery, logging, metrics, default deadline, auth and the
// caller's access.Caller, error mapping), health and (when asked for)
// reflection, an admin HTTP port with /metrics, /healthz and /readyz, the
// service's job queue and background loops, and graceful shutdown.
//
// Typical use in a service's run(ctx):
//
//	srv := server.New(server.Options{Name: "ticket", GRPCAddr: cfg.GRPCAddr, Queue: jobs,
//		Background: []func(context.Context) error{a.SweepKeys}, ...})
//	ticketv1.RegisterTicketServiceServer(srv.GRPC(), handler)
//	return srv.Run(ctx) // returns after ctx is cancelled and shutdown completes
//
// Tests that need the bound port of ":0" call Listen first, read GRPCAddr, then Run.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/reflection"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/tracing"
)

// MaxConnectionAge is how long a client keeps one connection to a replica
// before the server asks it to reconnect (and so to resolve the replicas
// again).
const MaxConnectionAge = 5 * time.Minute

// Defaults applied by New for zero Options fields.
const (
	DefaultShutdownTimeout = 15 * time.Second
	DefaultRPCTimeout      = 30 * time.Second
)

// Options configures a Server.
type Options struct {
	// Name is the service name, added to every log line as "service".
	Name string
	// GRPCAddr is the gRPC listen address; ":0" picks a free port.
	GRPCAddr string
	// AdminAddr is the admin HTTP listen address; empty disables the admin port.
	AdminAddr string
	// Profiling serves net/http/pprof's profiles under /debug/pprof/ on
	// the admin port.
	Profiling bool
	// Listener, when set, is used for gRPC instead of listening on GRPCAddr
	// (tests pass a bufconn listener).
	Listener net.Listener
	// Logger is the base logger; nil means slog.Default().
	Logger *slog.Logger
	// Verifier authenticates RPCs; nil disables authentication (tests only).
	Verifier *auth.Verifier
	// ShutdownTimeout bounds graceful shutdown; zero means 15s.
	ShutdownTimeout time.Duration
	// DefaultTimeout is the deadline given to unary calls that arrive without one;
	// zero means 30s.
	DefaultTimeout time.Duration
	// Ready reports readiness for /readyz (e.g. a database ping); nil means ready.
	Ready func(ctx context.Context) error
	// UnaryInterceptors run after authentication and before error mapping, so they
	// see the caller's claims and may return apperr errors.
	UnaryInterceptors []grpc.UnaryServerInterceptor
	// StreamInterceptors are the streaming counterpart of UnaryInterceptors.
	StreamInterceptors []grpc.StreamServerInterceptor
	// ServerOptions are extra grpc.ServerOptions (message sizes, keepalive, TLS).
	ServerOptions []grpc.ServerOption
	// Reflection serves gRPC server reflection, to callers with a token
	// unless OpenReflection is set. Default: off.
	Reflection bool
	// OpenReflection serves reflection without a token, as grpcurl expects
	// on a developer's machine. Only development mode sets it.
	OpenReflection bool
	// Queue is the service's job queue (a libs/queue Client): Run
	// registers its metrics, starts it once the server listens and stops it
	// after in-flight RPCs finish, within ShutdownTimeout. Nil: none.
	Queue Queue
	// Background are loops that run while the server serves (sweeps). Each
	// gets a context cancelled at shutdown; one returning an error before
	// then stops the server with that error.
	Background []func(ctx context.Context) error
}

// Queue is what Run needs of a job queue.
type Queue interface {
	// RegisterMetrics exports the queue's metrics to reg.
	RegisterMetrics(reg prometheus.Registerer) error
	// Start starts its workers; they outlive ctx until Stop.
	Start(ctx context.Context) error
	// Stop stops the workers, giving deliveries in flight until ctx ends.
	Stop(ctx context.Context) error
}

// Server is a gRPC server with its admin HTTP port.
type Server struct {
	opts   Options
	grpc   *grpc.Server
	health *health.Server
	admin  *http.Server

	mu       sync.Mutex
	grpcLis  net.Listener
	adminLis net.Listener
}

// New builds the server. Register services on GRPC() before calling Run.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Name != "" {
		opts.Logger = opts.Logger.With("service", opts.Name)
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = DefaultShutdownTimeout
	}
	if opts.DefaultTimeout <= 0 {
		opts.DefaultTimeout = DefaultRPCTimeout
	}
	so := append([]grpc.ServerOption{
		tracing.ServerOption(),
		// Clients resolve a headless Service's replicas when they connect;
		// closing each connection after MaxConnectionAge (gracefully, with
		// in-flight calls given MaxConnectionAgeGrace) makes them resolve
		// again, so replicas added later get their share of calls.
		grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionAge: MaxConnectionAge, MaxConnectionAgeGrace: time.Minute}),
		grpc.ChainUnaryInterceptor(unaryChain(opts)...),
		grpc.ChainStreamInterceptor(streamChain(opts)...),
	}, opts.ServerOptions...)
	s := &Server{opts: opts, grpc: grpc.NewServer(so...), health: health.NewServer()}
	// Not serving until Serve starts, so a load balancer never routes to a server
	// whose services are not registered yet.
	s.health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	healthpb.RegisterHealthServer(s.grpc, s.health)
	if opts.Reflection {
		reflection.Register(s.grpc)
	}
	s.admin = &http.Server{Handler: s.adminHandler(), ReadHeaderTimeout: 5 * time.Second}
	return s
}

// GRPC returns the underlying gRPC server for service registration.
func (s *Server) GRPC() *grpc.Server { return s.grpc }

// Listen binds the gRPC and admin addresses. Run calls it if needed; call it
// yourself to learn the ports chosen for ":0".
func (s *Server) Listen(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lc net.ListenConfig
	if s.grpcLis == nil {
		s.grpcLis = s.opts.Listener
	}
	if s.grpcLis == nil {
		l, err := lc.Listen(ctx, "tcp", s.opts.GRPCAddr)
		if err != nil {
			return fmt.Errorf("server.Listen: grpc %s: %w", s.opts.GRPCAddr, err)
		}
		s.grpcLis = l
	}
	if s.adminLis == nil && s.opts.AdminAddr != "" {
		l, err := lc.Listen(ctx, "tcp", s.opts.AdminAddr)
		if err != nil {
			return fmt.Errorf("server.Listen: admin %s: %w", s.opts.AdminAddr, err)
		}
		s.adminLis = l
	}
	return nil
}

// GRPCAddr returns the bound gRPC address, or nil before Listen.
func (s *Server) GRPCAddr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.grpcLis == nil {
		return nil
	}
	return s.grpcLis.Addr()
}

// AdminAddr returns the bound admin address, or nil before Listen or when disabled.
func (s *Server) AdminAddr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.adminLis == nil {
		return nil
	}
	return s.adminLis.Addr()
}
