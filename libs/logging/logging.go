// Package logging builds the structured JSON logger every service uses and carries a
// request-scoped logger in the context, so handlers log with request id, subject and
// tenant already attached.
package logging

import (
	"context"
	"log/slog"
	"os"
	"strings"

	"go.opentelemetry.io/otel/trace"
)

type ctxKey struct{}

// New returns a JSON logger writing to stderr at the given level (debug, info, warn,
// error; anything else means info). A line logged with a context that is
// part of a trace (libs/tracing) carries its trace_id and span_id.
func New(level string) *slog.Logger {
	return slog.New(WithTrace(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: ParseLevel(level)})))
}

// WithTrace wraps h so that records logged with a context inside a trace
// carry trace_id and span_id, which join a log line to its trace.
func WithTrace(h slog.Handler) slog.Handler { return traceHandler{h} }

// traceHandler adds the trace of a record's context.
type traceHandler struct{ slog.Handler }

// Handle implements slog.Handler.
func (h traceHandler) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h traceHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return traceHandler{h.Handler.WithAttrs(as)}
}

// WithGroup implements slog.Handler.
func (h traceHandler) WithGroup(name string) slog.Handler {
	return traceHandler{h.Handler.WithGroup(name)}
}

// ParseLevel maps a LOG_LEVEL value to a slog.Level, defaulting to info so that a typo
// never silences a production service.
func ParseLevel(level string) slog.Level {
	switch strings.ToLower(strings.TrimSpace(level)) {
	case "debug":
		return slog.LevelDebug
	case "warn", "warning":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	default:
		return slog.LevelInfo
	}
}

// WithLogger returns a context carrying l.
func WithLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the logger stored by WithLogger, or slog.Default when none is,
// so callers never need a nil check.
func FromContext(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(ctxKey{}).(*slog.Logger); ok && l != nil {
		return l
	}
	return slog.Default()
}
