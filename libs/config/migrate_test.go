package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/config"
)

// These tests use t.Setenv, which forbids t.Parallel.
func TestMigrateOnlyIsOnlyTheExplicitSwitch(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		on      bool
		refusal bool
	}{
		{"unset is serving", "", false, false},
		{"1 is migrate-only", "1", true, false},
		{"true is migrate-only", "true", true, false},
		{"0 is serving", "0", false, false},
		{"a value that is not a boolean is refused, not read as serving", "yes please", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(config.MigrateOnlyVar, tt.value)
			on, err := config.MigrateOnly()
			if tt.refusal {
				require.ErrorContains(t, err, config.MigrateOnlyVar)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.on, on)
		})
	}
}

type migrationConfig struct {
	config.Migration
	config.GBV
}

func TestAMigrationReadsNoSecretsAndNoAddresses(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://db/trustengine")
	t.Setenv("LOG_LEVEL", "warn")
	t.Setenv(config.DevModeVar, "1")
	// Settings a migration does not read cannot stop it, however broken.
	t.Setenv("SHUTDOWN_TIMEOUT", "soon")
	t.Setenv("GRPC_REFLECTION", "perhaps")
	var cfg migrationConfig
	require.NoError(t, config.Load(&cfg))
	require.Equal(t, config.Migration{DatabaseURL: "postgres://db/trustengine", LogLevel: "warn", DevMode: true}, cfg.Migration)
	require.Equal(t, "dev", cfg.GBVActiveKeyID)
}
