package logging_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

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
