package config

import (
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/salga/trustengine/libs/auth"
)

// OIDC names the OpenID Connect issuer whose RS256 user tokens a process
// accepts (staff signed in to the console through the municipality's
// identity provider). Embedded in Auth, so every process that verifies
// user tokens reads the same settings. Empty Issuer: none.
type OIDC struct {
	// Issuer is the issuer URL, exactly as its tokens' "iss" names it
	// (OIDC_ISSUER); its /.well-known/openid-configuration names the JWKS.
	// https, except on a loopback address. Default: empty (no issuer).
	Issuer string `env:"OIDC_ISSUER"`
	// Audiences are the accepted "aud" values, comma-separated
	// (OIDC_AUDIENCE): the console's client id, or the API audience the
	// issuer puts in access tokens. Required with OIDC_ISSUER.
	Audiences []string `env:"OIDC_AUDIENCE" envSeparator:","`
	// TenantClaim is the claim that holds the municipality code
	// (OIDC_TENANT_CLAIM); a dotted name reads a nested claim. Default: tenant.
	TenantClaim string `env:"OIDC_TENANT_CLAIM" envDefault:"tenant"`
	// RolesClaim is the claim that holds the roles (OIDC_ROLES_CLAIM), e.g.
	// realm_access.roles for Keycloak's realm roles. Default: roles.
	RolesClaim string `env:"OIDC_ROLES_CLAIM" envDefault:"roles"`
	// JWKSMinRefresh is the least time between two fetches of the issuer's
	// keys (OIDC_JWKS_MIN_REFRESH): a token naming an unknown key fetches
	// them again at most this often. Default: 30s.
	JWKSMinRefresh time.Duration `env:"OIDC_JWKS_MIN_REFRESH" envDefault:"30s"`
	// JWKSMaxAge is how long fetched keys are trusted before they are
	// fetched again (OIDC_JWKS_MAX_AGE), so a key the issuer withdrew stops
	// verifying. Default: 1h.
	JWKSMaxAge time.Duration `env:"OIDC_JWKS_MAX_AGE" envDefault:"1h"`
}

// check refuses settings that would verify the wrong tokens or fetch keys
// where they could be forged: no audience, a non-https issuer on the
// network, unnamed claims.
func (o OIDC) check() error {
	if o.Issuer == "" {
		if len(o.Audiences) > 0 {
			return fmt.Errorf("config: OIDC_AUDIENCE is set without OIDC_ISSUER")
		}
		return nil
	}
	u, err := url.Parse(o.Issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("config: OIDC_ISSUER %q is not an absolute https URL", o.Issuer)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return fmt.Errorf("config: OIDC_ISSUER %q is not https: the keys fetched from it could be forged on the way", o.Issuer)
	}
	if len(o.Audiences) == 0 {
		return fmt.Errorf("config: OIDC_AUDIENCE is empty: set it to the audience the issuer puts in its tokens " +
			"(the console's client id, or an API audience), or every client of the issuer would be accepted")
	}
	for _, a := range o.Audiences {
		if a == "" {
			return fmt.Errorf("config: OIDC_AUDIENCE has an empty value")
		}
	}
	if o.TenantClaim == "" || o.RolesClaim == "" {
		return fmt.Errorf("config: OIDC_TENANT_CLAIM and OIDC_ROLES_CLAIM must name claims")
	}
	if o.JWKSMinRefresh <= 0 || o.JWKSMaxAge <= 0 {
		return fmt.Errorf("config: OIDC_JWKS_MIN_REFRESH and OIDC_JWKS_MAX_AGE must be positive")
	}
	return nil
}

// isLoopback reports whether host is localhost or a loopback address.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Verifier returns the settings as auth.NewVerifierFromConfig reads them.
func (o OIDC) Verifier() auth.OIDC {
	if o.Issuer == "" {
		return auth.OIDC{}
	}
	return auth.OIDC{Issuer: o.Issuer, Audiences: o.Audiences, TenantClaim: o.TenantClaim, RolesClaim: o.RolesClaim,
		MinRefresh: o.JWKSMinRefresh, MaxAge: o.JWKSMaxAge}
}
