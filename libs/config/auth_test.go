package config_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/config"
)

// strong is a secret long enough to be accepted outside development mode.
var strong = strings.Repeat("s", 32)

func TestForServiceRefusesDevelopmentSecretsOutsideDevelopmentMode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		auth    config.Auth
		secret  string
		refusal string
	}{
		{"an empty secret in development mode becomes the development secret", config.Auth{DevMode: true}, config.DevJWTSecret, ""},
		{"a set secret in development mode is kept", config.Auth{DevMode: true, JWTSecret: "mine"}, "mine", ""},
		{"a strong secret outside development mode is kept", config.Auth{JWTSecret: strong}, strong, ""},
		{"an empty secret outside development mode is refused", config.Auth{}, "", "JWT_HS256_SECRET is empty"},
		{"the published secret outside development mode is refused", config.Auth{JWTSecret: config.DevJWTSecret}, "", "JWT_HS256_SECRET is the published development secret"},
		{"a short secret outside development mode is refused", config.Auth{JWTSecret: "short"}, "", "JWT_HS256_SECRET is shorter than 32 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.auth.ForService()
			if tt.refusal != "" {
				require.ErrorContains(t, err, tt.refusal)
				require.ErrorContains(t, err, config.DevModeVar+"=1", "the refusal says how to run in development")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.secret, got.JWTSecret)
		})
	}
}

func TestLoadReadsTheDevelopmentModeSwitch(t *testing.T) {
	for _, v := range []string{"1", "true"} {
		t.Setenv(config.DevModeVar, v)
		var cfg serviceConfig
		require.NoError(t, config.Load(&cfg))
		require.True(t, cfg.DevMode, v)
	}
	t.Setenv(config.DevModeVar, "")
	var cfg serviceConfig
	require.NoError(t, config.Load(&cfg))
	require.False(t, cfg.DevMode, "development mode is off unless asked for")
	t.Setenv(config.DevModeVar, "perhaps")
	require.Error(t, config.Load(&cfg), "a value that is not a boolean is refused, not read as off")
}
