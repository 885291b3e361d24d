// Package tracing is the suite's OpenTelemetry tracing, wired in one place:
// Start sets up the process's exporter, the gRPC and HTTP options put a
// span on every call served and made (libs/server, libs/peers and the
// gateway use them), and libs/queue carries a trace across River jobs in
// their metadata. A create thus yields one trace from the gateway through
// ticket, routing, sla and notify.
//
// Spans are exported over OTLP/gRPC when OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, with the exporter's other
// standard variables (OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_INSECURE,
// an http:// endpoint for plain text, OTEL_BSP_SCHEDULE_DELAY, OTEL_SERVICE_NAME);
// without it no span is recorded. Either way the W3C trace context passes
// through, so a process without an exporter does not break a trace.
package tracing

import (
	"context"
	"fmt"
	"net/http"
	"os"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc/filters"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
)

// Name is the instrumentation name of the suite's own spans (River jobs).
const Name = "github.com/salga/trustengine/libs/tracing"

// Enabled reports whether the environment names an OTLP endpoint.
func Enabled() bool {
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// Start sets up tracing for the process of service and returns the
// function that flushes its spans and stops; call it at exit.
func Start(ctx context.Context, service string) (func(context.Context) error, error) {
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	if !Enabled() {
		return func(context.Context) error { return nil }, nil
	}
	exp, err := otlptracegrpc.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("tracing.Start: otlp exporter: %w", err)
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(attribute.String("service.name", service)))
	if err != nil {
		return nil, fmt.Errorf("tracing.Start: resource: %w", err)
	}
	if name := os.Getenv("OTEL_SERVICE_NAME"); name != "" {
		// The standard variable wins over the process's own name.
		res, _ = resource.Merge(res, resource.NewSchemaless(attribute.String("service.name", name)))
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	return tp.Shutdown, nil
}

// notHealth leaves grpc.health.v1 out of traces: load balancers and the
// peers' own health checks call it all the time.
var notHealth = filters.Not(filters.HealthCheck())

// ServerOption traces every call a gRPC server serves, continuing the
// caller's trace.
func ServerOption() grpc.ServerOption {
	return grpc.StatsHandler(otelgrpc.NewServerHandler(otelgrpc.WithFilter(notHealth)))
}

// DialOption traces every call made on a connection and sends the trace
// context with it.
func DialOption() grpc.DialOption {
	return grpc.WithStatsHandler(otelgrpc.NewClientHandler(otelgrpc.WithFilter(notHealth)))
}

// HTTP traces every request h serves (the gateway's), continuing a trace
// the caller started (traceparent).
func HTTP(h http.Handler, operation string) http.Handler {
	return otelhttp.NewHandler(h, operation, otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
		return r.Method + " " + r.URL.Path
	}))
}

// TraceID is the id of the trace ctx is part of, or "" when none.
func TraceID(ctx context.Context) string {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return ""
	}
	return sc.TraceID().String()
}
