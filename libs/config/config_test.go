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

func TestReflectionIsOpenOnlyInDevelopmentMode(t *testing.T) {
	t.Parallel()
	on, off := true, false
	tests := []struct {
		name         string
		common       config.Common
		served, open bool
	}{
		{"development mode serves reflection without a token", config.Common{Auth: config.Auth{DevMode: true}}, true, true},
		{"development mode may turn reflection off", config.Common{Auth: config.Auth{DevMode: true}, GRPCReflection: &off}, false, false},
		{"outside development mode reflection is off", config.Common{}, false, false},
		{"outside development mode reflection turned on needs a token", config.Common{GRPCReflection: &on}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			served, open := tt.common.Reflection()
			require.Equal(t, tt.served, served)
			require.Equal(t, tt.open, open)
		})
	}
}
