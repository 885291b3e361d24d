package config_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/config"
)

func TestAnIssuerVerifiesUserTokensWhereTheSettingsAllowIt(t *testing.T) {
	t.Parallel()
	issuer := config.OIDC{Issuer: "https://login.example.org/realms/cpt", Audiences: []string{"trustengine-console"},
		TenantClaim: "tenant", RolesClaim: "roles", JWKSMinRefresh: 30 * time.Second, JWKSMaxAge: time.Hour}
	with := func(edit func(*config.OIDC)) config.OIDC { o := issuer; edit(&o); return o }
	service := config.Auth{ServiceJWTSecret: serviceSecret, OIDC: issuer}
	gateway := config.Auth{GatewayJWTSecret: gatewaySecret, OIDC: issuer}
	tests := []struct {
		name      string
		auth      config.Auth
		gateway   bool
		refusal   string
		jwtSecret string // the user secret the process ends up with
	}{
		{"a service with an issuer needs no user secret outside development mode", service, false, "", ""},
		{"a service with an issuer keeps a strong user secret beside it", edited(service, func(a *config.Auth) { a.JWTSecret = userSecret }), false, "", userSecret},
		{"a service with an issuer still refuses a short user secret", edited(service, func(a *config.Auth) { a.JWTSecret = "short" }), false, "shorter than 32 bytes", ""},
		{"a service with an issuer in development mode keeps the development sign-in", config.Auth{DevMode: true, OIDC: issuer}, false, "", config.DevJWTSecret},
		{"the gateway with an issuer needs no public key outside development mode", gateway, true, "", ""},
		{"the gateway with an issuer still refuses the user secret", edited(gateway, func(a *config.Auth) { a.JWTSecret = userSecret }), true, "JWT_HS256_SECRET is set", ""},
		{"an issuer on the network without https is refused", edited(service, func(a *config.Auth) {
			a.OIDC = with(func(o *config.OIDC) { o.Issuer = "http://login.example.org" })
		}), false, "not https", ""},
		{"an issuer on a loopback address may be http", edited(service, func(a *config.Auth) {
			a.OIDC = with(func(o *config.OIDC) { o.Issuer = "http://127.0.0.1:8443" })
		}), false, "", ""},
		{"an issuer on localhost may be http", edited(gateway, func(a *config.Auth) {
			a.OIDC = with(func(o *config.OIDC) { o.Issuer = "http://localhost:8443/realms/dev" })
		}), true, "", ""},
		{"an issuer that is no URL is refused", edited(service, func(a *config.Auth) { a.OIDC = with(func(o *config.OIDC) { o.Issuer = "keycloak" }) }), false, "not an absolute https URL", ""},
		{"an issuer without an audience is refused", edited(service, func(a *config.Auth) { a.OIDC = with(func(o *config.OIDC) { o.Audiences = nil }) }), false, "OIDC_AUDIENCE is empty", ""},
		{"an audience of an empty value is refused", edited(gateway, func(a *config.Auth) { a.OIDC = with(func(o *config.OIDC) { o.Audiences = []string{"a", ""} }) }), true, "empty value", ""},
		{"an audience without an issuer is refused", edited(service, func(a *config.Auth) {
			a.JWTSecret, a.OIDC = userSecret, config.OIDC{Audiences: []string{"x"}}
		}), false, "without OIDC_ISSUER", ""},
		{"an unnamed roles claim is refused", edited(service, func(a *config.Auth) { a.OIDC = with(func(o *config.OIDC) { o.RolesClaim = "" }) }), false, "must name claims", ""},
		{"a refresh interval of zero is refused", edited(service, func(a *config.Auth) { a.OIDC = with(func(o *config.OIDC) { o.JWKSMinRefresh = 0 }) }), false, "must be positive", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			check := tt.auth.ForService
			if tt.gateway {
				check = tt.auth.ForGateway
			}
			got, err := check()
			if tt.refusal != "" {
				require.ErrorContains(t, err, tt.refusal)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.jwtSecret, got.JWTSecret)
			require.Equal(t, tt.auth.OIDC.Issuer, got.VerifierConfig().OIDC.Issuer)
		})
	}
}

// edited returns a copy of a edited.
func edited(a config.Auth, edit func(*config.Auth)) config.Auth { edit(&a); return a }

// Uses t.Setenv, which forbids t.Parallel.
func TestLoadReadsTheIssuerSettings(t *testing.T) {
	var cfg serviceConfig
	require.NoError(t, config.Load(&cfg))
	require.Equal(t, config.OIDC{TenantClaim: "tenant", RolesClaim: "roles", JWKSMinRefresh: 30 * time.Second, JWKSMaxAge: time.Hour}, cfg.OIDC)
	require.Equal(t, auth.OIDC{}, cfg.OIDC.Verifier(), "no issuer: nothing for the verifier")

	t.Setenv("OIDC_ISSUER", "https://login.example.org/tenant-id/v2.0")
	t.Setenv("OIDC_AUDIENCE", "api://trustengine,trustengine-console")
	t.Setenv("OIDC_TENANT_CLAIM", "extension_municipality")
	t.Setenv("OIDC_ROLES_CLAIM", "realm_access.roles")
	t.Setenv("OIDC_JWKS_MIN_REFRESH", "5s")
	t.Setenv("OIDC_JWKS_MAX_AGE", "10m")
	require.NoError(t, config.Load(&cfg))
	require.Equal(t, auth.OIDC{Issuer: "https://login.example.org/tenant-id/v2.0", Audiences: []string{"api://trustengine", "trustengine-console"},
		TenantClaim: "extension_municipality", RolesClaim: "realm_access.roles", MinRefresh: 5 * time.Second, MaxAge: 10 * time.Minute},
		cfg.OIDC.Verifier())
}
