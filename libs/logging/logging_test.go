package logging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/salga/trustengine/libs/logging"
)

func TestFromContextReturnsStoredLoggerOrDefault(t *testing.T) {
	t.Parallel()
	require.Same(t, slog.Default(), logging.FromContext(context.Background()))
	l := logging.New("debug")
	require.Same(t, l, logging.FromContext(logging.WithLogger(context.Background(), l)))
	require.True(t, l.Enabled(context.Background(), slog.LevelDebug))
	require.False(t, logging.New("bogus").Enabled(context.Background(), slog.LevelDebug))
}

func TestALineLoggedInsideATraceCarriesItsIDs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := slog.New(logging.WithTrace(slog.NewJSONHandler(&buf, nil))).With("service", "ticket")
	tid, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	sid, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	ctx := trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid}))

	l.InfoContext(ctx, "created")
	l.InfoContext(context.Background(), "swept")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2)
	var inside, outside map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &inside))
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &outside))
	require.Equal(t, "4bf92f3577b34da6a3ce929d0e0e4736", inside["trace_id"])
	require.Equal(t, "00f067aa0ba902b7", inside["span_id"])
	require.Equal(t, "ticket", inside["service"], "attributes added before still show")
	require.NotContains(t, outside, "trace_id", "a line outside any trace has none")
}
