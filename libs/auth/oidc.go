package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// OIDC names an OpenID Connect issuer whose RS256 user tokens a Verifier
// accepts, beside (or instead of) the suite's own user-token key: the
// identity provider staff sign in to the console with (Keycloak, Azure AD,
// any provider that publishes a discovery document and a JWKS).
type OIDC struct {
	// Issuer is the issuer URL, exactly as the tokens' "iss" and the
	// discovery document name it; its /.well-known/openid-configuration
	// names the key set.
	Issuer string
	// Audiences are the "aud" values accepted: a token must name at least
	// one (the console's client id, or an API audience).
	Audiences []string
	// TenantClaim is the claim holding the municipality code; default
	// "tenant". A name that is no top-level claim is read as a dotted path
	// into nested objects.
	TenantClaim string
	// RolesClaim is the claim holding the roles (an array of strings, or
	// one string); default "roles", dotted paths as TenantClaim
	// (Keycloak's realm roles: "realm_access.roles").
	RolesClaim string
	// MinRefresh is the least time between two fetches of the key set;
	// default 30s.
	MinRefresh time.Duration
	// MaxAge is how long fetched keys are used before they are fetched
	// again (a key the issuer withdrew stops working then); default 1h.
	MaxAge time.Duration
	// Client fetches the documents; default a client with a 10s timeout.
	Client *http.Client
}

// OIDCIssuer verifies the tokens of one OpenID Connect issuer with the keys
// of its JWKS.
type OIDCIssuer struct {
	settings OIDC
	keys     *keySet
}

// NewOIDCIssuer checks o and fetches the issuer's keys once, within ctx. A
// process that cannot fetch them does not start: a typo in the issuer URL
// shows at once, not as every user's token refused.
func NewOIDCIssuer(ctx context.Context, o OIDC) (*OIDCIssuer, error) {
	u, err := url.Parse(o.Issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("auth.NewOIDCIssuer: issuer %q is not an absolute http(s) URL", o.Issuer)
	}
	if len(o.Audiences) == 0 {
		return nil, errors.New("auth.NewOIDCIssuer: no audience: tokens the issuer made for other clients would pass")
	}
	if o.TenantClaim == "" {
		o.TenantClaim = "tenant"
	}
	if o.RolesClaim == "" {
		o.RolesClaim = "roles"
	}
	if o.MinRefresh <= 0 {
		o.MinRefresh = 30 * time.Second
	}
	if o.MaxAge <= 0 {
		o.MaxAge = time.Hour
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if o.Client.Timeout <= 0 {
		return nil, errors.New("auth.NewOIDCIssuer: the HTTP client needs a timeout")
	}
	i := &OIDCIssuer{settings: o, keys: &keySet{issuer: o.Issuer, client: o.Client,
		minInterval: o.MinRefresh, maxAge: o.MaxAge, now: time.Now}}
	if err := i.keys.refresh(ctx); err != nil {
		return nil, fmt.Errorf("auth.NewOIDCIssuer: the keys of %s: %w", o.Issuer, err)
	}
	return i, nil
}

// Issuer returns the issuer URL.
func (i *OIDCIssuer) Issuer() string { return i.settings.Issuer }

// verify checks an RS256 token of the issuer against its key set, audience
// and expiry, and reads the subject, tenant and roles from the configured
// claims under the rules every user token follows.
func (i *OIDCIssuer) verify(token string) (Claims, error) {
	mc := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, mc, i.keyFor,
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(i.settings.Issuer),
		jwt.WithAudience(i.settings.Audiences...),
		jwt.WithLeeway(leeway),
	)
	if err != nil {
		return Claims{}, err
	}
	sub, _ := mc["sub"].(string)
	if sub == "" {
		return Claims{}, errors.New("token has no subject")
	}
	tenant, _ := claimAt(mc, i.settings.TenantClaim).(string)
	if tenant == "" {
		return Claims{}, fmt.Errorf("token has no tenant (claim %q)", i.settings.TenantClaim)
	}
	if tenant != AllTenants && !IsTenantCode(tenant) {
		return Claims{}, fmt.Errorf("tenant %q (claim %q) is not a municipality code", tenant, i.settings.TenantClaim)
	}
	roles, err := rolesOf(claimAt(mc, i.settings.RolesClaim))
	if err != nil {
		return Claims{}, fmt.Errorf("claim %q: %w", i.settings.RolesClaim, err)
	}
	return Claims{Subject: sub, Tenant: tenant, Roles: roles}, nil
}

// keyFor is the jwt.Keyfunc: the key the token's header names. The parser
// has already refused every algorithm but RS256, so an HMAC token never
// reaches here with a public key to be misused as its secret.
func (i *OIDCIssuer) keyFor(t *jwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	return i.keys.key(kid)
}

// claimAt returns the claim named name, or, when there is no such
// top-level claim, the value at the dotted path name (a.b.c). Namespaced
// claim names with dots (https://example.org/tenant) are found whole.
func claimAt(claims map[string]any, name string) any {
	if v, ok := claims[name]; ok {
		return v
	}
	var cur any = claims
	for part := range strings.SplitSeq(name, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

// rolesOf reads a roles claim: an array of strings or one string; absent
// is no roles. A role outside the known set refuses the token.
func rolesOf(v any) ([]string, error) {
	var roles []string
	switch r := v.(type) {
	case nil:
	case string:
		roles = []string{r}
	case []any:
		for _, x := range r {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("a role is a %T, not a string", x)
			}
			roles = append(roles, s)
		}
	default:
		return nil, fmt.Errorf("roles are a %T, not strings", v)
	}
	for _, r := range roles {
		if !IsKnownRole(r) {
			return nil, fmt.Errorf("unknown role %q", r)
		}
	}
	return roles, nil
}
