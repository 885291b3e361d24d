package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// Run listens (unless Listen was called), starts the queue, serves and runs
// the background loops until ctx is cancelled or one of them fails, then
// shuts down: health goes NOT_SERVING, in-flight RPCs and then the queue's
// deliveries get ShutdownTimeout to finish, and whatever remains is cut. A
// clean shutdown returns nil.
func (s *Server) Run(ctx context.Context) error {
	if err := s.Listen(ctx); err != nil {
		return err
	}
	if q := s.opts.Queue; q != nil {
		if err := q.RegisterMetrics(Registry); err != nil {
			s.closeListeners()
			return fmt.Errorf("server.Run: queue metrics: %w", err)
		}
		if err := q.Start(ctx); err != nil {
			s.closeListeners()
			return fmt.Errorf("server.Run: start queue: %w", err)
		}
	}
	s.markServing()
	s.opts.Logger.InfoContext(ctx, "serving", "grpc_addr", s.GRPCAddr().String(), "admin_addr", fmt.Sprint(s.AdminAddr()))

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		// Serve returns nil after GracefulStop/Stop, and ErrServerStopped
		// when the shutdown came before it began.
		if err := s.grpc.Serve(s.grpcLis); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			return fmt.Errorf("server.Run: grpc serve: %w", err)
		}
		return nil
	})
	if s.adminLis != nil {
		g.Go(func() error {
			if err := s.admin.Serve(s.adminLis); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("server.Run: admin serve: %w", err)
			}
			return nil
		})
	}
	for _, loop := range s.opts.Background {
		g.Go(func() error {
			if err := loop(gctx); err != nil && gctx.Err() == nil {
				return fmt.Errorf("server.Run: background: %w", err)
			}
			return nil
		})
	}
	g.Go(func() error {
		<-gctx.Done()
		s.shutdown()
		return nil
	})
	return g.Wait()
}

// closeListeners releases the bound ports of a server that will not serve.
func (s *Server) closeListeners() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.grpcLis != nil {
		_ = s.grpcLis.Close()
	}
	if s.adminLis != nil {
		_ = s.adminLis.Close()
	}
}

// markServing reports SERVING for the server as a whole and for every registered
// service, which is what per-service health probes ask about.
func (s *Server) markServing() {
	s.health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	for name := range s.grpc.GetServiceInfo() {
		s.health.SetServingStatus(name, healthpb.HealthCheckResponse_SERVING)
	}
}

// shutdown stops serving within ShutdownTimeout: RPCs in flight first, then
// the queue's deliveries, in what time is left. Deliveries cut short are
// not lost: their jobs run again after River's rescue delay.
func (s *Server) shutdown() {
	log := s.opts.Logger
	log.Info("shutting down", "timeout", s.opts.ShutdownTimeout.String())
	// Tell load balancers first so new calls go elsewhere while in-flight ones finish.
	s.health.Shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	done := make(chan struct{})
	go func() {
		s.grpc.GracefulStop()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		log.Warn("graceful stop timed out; closing remaining RPCs")
		s.grpc.Stop()
		<-done
	}
	if q := s.opts.Queue; q != nil {
		if err := q.Stop(ctx); err != nil {
			log.Warn("queue stop", "error", err.Error())
		}
	}
	if err := s.admin.Shutdown(ctx); err != nil {
		_ = s.admin.Close()
	}
}

// adminHandler serves /metrics, /healthz (the process is up) and /readyz (it can do
// useful work: Ready succeeded and it is not shutting down), and, with
// Profiling, Go's profiles under /debug/pprof/.
func (s *Server) adminHandler() http.Handler {
	mux := http.NewServeMux()
	if s.opts.Profiling {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	mux.Handle("GET /metrics", promhttp.HandlerFor(Registry, promhttp.HandlerOpts{Registry: Registry}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		resp, err := s.health.Check(r.Context(), &healthpb.HealthCheckRequest{})
		if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			http.Error(w, "not serving", http.StatusServiceUnavailable)
			return
		}
		if s.opts.Ready != nil {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			if err := s.opts.Ready(ctx); err != nil {
				s.opts.Logger.WarnContext(ctx, "not ready", "error", err.Error())
				http.Error(w, "not ready", http.StatusServiceUnavailable)
				return
			}
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	return mux
}
