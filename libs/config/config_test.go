package config_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/config"
)

type serviceConfig struct {
	config.Common
	SweepEvery time.Duration `env:"SWEEP_EVERY" envDefault:"5m"`
}

// These tests use t.Setenv, which forbids t.Parallel.
func TestLoadAppliesDefaultsAndEnvironment(t *testing.T) {
	t.Setenv("GRPC_ADDR", ":7000")
	t.Setenv("SHUTDOWN_TIMEOUT", "3s")
	var cfg serviceConfig
	require.NoError(t, config.Load(&cfg))
	cfg.Common = cfg.Common.WithDefaults(":9000", ":9001")
	require.Equal(t, ":7000", cfg.GRPCAddr)
	require.Equal(t, ":9001", cfg.AdminAddr)
	require.Equal(t, 3*time.Second, cfg.ShutdownTimeout)
	require.Equal(t, "info", cfg.LogLevel)
	require.Equal(t, 5*time.Minute, cfg.SweepEvery)
	require.Contains(t, cfg.DatabaseURL, "trustengine")
}

func TestLoadWrapsParseErrors(t *testing.T) {
	t.Setenv("SHUTDOWN_TIMEOUT", "soon")
	var cfg serviceConfig
	err := config.Load(&cfg)
	require.ErrorContains(t, err, "config.Load")
}
