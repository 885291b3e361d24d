package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// Registry is the Prometheus registry served on /metrics. Services register their
// own collectors here (e.g. outbox delivery lag) with Registry.MustRegister.
var Registry = prometheus.NewRegistry()

var (
	handled = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "trustengine_grpc_server_handled_total",
		Help: "RPCs completed on the server, by method and status code.",
	}, []string{"grpc_method", "grpc_code"})
	handling = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "trustengine_grpc_server_handling_seconds",
		Help:    "Time to handle an RPC, by method.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"grpc_method"})
)

func init() {
	Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		handled, handling,
	)
}

func observe(method string, start time.Time, err error) {
	handled.WithLabelValues(method, status.Code(err).String()).Inc()
	handling.WithLabelValues(method).Observe(time.Since(start).Seconds())
}

func unaryMetrics(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	start := time.Now()
	resp, err := h(ctx, req)
	observe(info.FullMethod, start, err)
	return resp, err
}

func streamMetrics(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
	start := time.Now()
	err := h(srv, ss)
	observe(info.FullMethod, start, err)
	return err
}
