package config_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/config"
)

// Secrets long enough, and different enough, to be accepted outside
// development mode.
var (
	userSecret    = strings.Repeat("u", 32)
	serviceSecret = strings.Repeat("s", 32)
	gatewaySecret = strings.Repeat("g", 32)
)

func TestForServiceRefusesDevelopmentSecretsOutsideDevelopmentMode(t *testing.T) {
	t.Parallel()
	prod := config.Auth{JWTSecret: userSecret, ServiceJWTSecret: serviceSecret, GatewayJWTSecret: gatewaySecret}
	with := func(edit func(*config.Auth)) config.Auth { a := prod; edit(&a); return a }
	tests := []struct {
		name    string
		auth    config.Auth
		want    config.Auth
		refusal string
	}{
		{"empty secrets in development mode become the development secrets", config.Auth{DevMode: true},
			config.Auth{DevMode: true, JWTSecret: config.DevJWTSecret, ServiceJWTSecret: config.DevServiceJWTSecret, GatewayJWTSecret: config.DevGatewayJWTSecret}, ""},
		{"set secrets in development mode are kept", config.Auth{DevMode: true, JWTSecret: "u", ServiceJWTSecret: "s", GatewayJWTSecret: "g"},
			config.Auth{DevMode: true, JWTSecret: "u", ServiceJWTSecret: "s", GatewayJWTSecret: "g"}, ""},
		{"strong secrets outside development mode are kept", prod, prod, ""},
		{"a public key outside development mode needs no user secret", with(func(a *config.Auth) { a.JWTSecret, a.JWTPublicKeyFile = "", "/keys/jwt.pub" }),
			with(func(a *config.Auth) { a.JWTSecret, a.JWTPublicKeyFile = "", "/keys/jwt.pub" }), ""},
		{"no gateway secret outside development mode is allowed", with(func(a *config.Auth) { a.GatewayJWTSecret = "" }),
			with(func(a *config.Auth) { a.GatewayJWTSecret = "" }), ""},
		{"an empty user secret outside development mode is refused", with(func(a *config.Auth) { a.JWTSecret = "" }), config.Auth{}, "JWT_HS256_SECRET is empty"},
		{"the published user secret outside development mode is refused", with(func(a *config.Auth) { a.JWTSecret = config.DevJWTSecret }), config.Auth{}, "JWT_HS256_SECRET is the published development secret"},
		{"a short user secret outside development mode is refused", with(func(a *config.Auth) { a.JWTSecret = "short" }), config.Auth{}, "JWT_HS256_SECRET is shorter than 32 bytes"},
		{"an empty service secret outside development mode is refused", with(func(a *config.Auth) { a.ServiceJWTSecret = "" }), config.Auth{}, "SERVICE_JWT_SECRET is empty"},
		{"the published service secret outside development mode is refused", with(func(a *config.Auth) { a.ServiceJWTSecret = config.DevServiceJWTSecret }), config.Auth{}, "SERVICE_JWT_SECRET is the published development secret"},
		{"the published gateway secret outside development mode is refused", with(func(a *config.Auth) { a.GatewayJWTSecret = config.DevGatewayJWTSecret }), config.Auth{}, "GATEWAY_JWT_SECRET is the published development secret"},
		{"a service secret equal to the user secret is refused", with(func(a *config.Auth) { a.ServiceJWTSecret = userSecret }), config.Auth{}, "SERVICE_JWT_SECRET equals JWT_HS256_SECRET"},
		{"a gateway secret equal to the service secret is refused", with(func(a *config.Auth) { a.GatewayJWTSecret = serviceSecret }), config.Auth{}, "SERVICE_JWT_SECRET equals GATEWAY_JWT_SECRET"},
		{"equal secrets are refused in development mode too", config.Auth{DevMode: true, ServiceJWTSecret: "x", GatewayJWTSecret: "x"}, config.Auth{}, "SERVICE_JWT_SECRET equals GATEWAY_JWT_SECRET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.auth.ForService()
			if tt.refusal != "" {
				require.ErrorContains(t, err, tt.refusal)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestForGatewayRefusesEveryKeyButItsOwnOutsideDevelopmentMode(t *testing.T) {
	t.Parallel()
	prod := config.Auth{JWTPublicKeyFile: "/keys/jwt.pub", GatewayJWTSecret: gatewaySecret}
	with := func(edit func(*config.Auth)) config.Auth { a := prod; edit(&a); return a }
	tests := []struct {
		name    string
		auth    config.Auth
		want    config.Auth
		refusal string
	}{
		{"empty secrets in development mode become the development user and gateway secrets", config.Auth{DevMode: true, ServiceJWTSecret: "ignored"},
			config.Auth{DevMode: true, JWTSecret: config.DevJWTSecret, GatewayJWTSecret: config.DevGatewayJWTSecret}, ""},
		{"a public key and a gateway secret outside development mode are kept", prod, prod, ""},
		{"the user-token secret outside development mode is refused", with(func(a *config.Auth) { a.JWTSecret = userSecret }), config.Auth{}, "JWT_HS256_SECRET is set"},
		{"no public key and no issuer outside development mode is refused", with(func(a *config.Auth) { a.JWTPublicKeyFile = "" }), config.Auth{}, "OIDC_ISSUER and JWT_RS256_PUBLIC_KEY_FILE are empty"},
		{"the service secret outside development mode is refused", with(func(a *config.Auth) { a.ServiceJWTSecret = serviceSecret }), config.Auth{}, "SERVICE_JWT_SECRET is set"},
		{"no gateway secret outside development mode is refused", with(func(a *config.Auth) { a.GatewayJWTSecret = "" }), config.Auth{}, "GATEWAY_JWT_SECRET is empty"},
		{"the published gateway secret outside development mode is refused", with(func(a *config.Auth) { a.GatewayJWTSecret = config.DevGatewayJWTSecret }), config.Auth{}, "GATEWAY_JWT_SECRET is the published development secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.auth.ForGateway()
			if tt.refusal != "" {
				require.ErrorContains(t, err, tt.refusal)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
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
