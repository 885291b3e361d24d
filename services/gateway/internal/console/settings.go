package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/auth"
)

// Settings configure the console.
type Settings struct {
	// DevMode enables the development sign-in (POST /console/dev-token),
	// which mints a token for any role of any tenant. Off in production.
	DevMode bool
	// Signer mints development tokens with the deployment's signing key.
	// Required when DevMode is set.
	Signer *auth.Signer
	// DevTokenTTL is how long a development token lives; default 1 hour.
	DevTokenTTL time.Duration
	// TileURL is an optional raster tile URL template ({z}/{x}/{y}) drawn
	// under the boundaries; empty leaves the map without a street layer.
	TileURL string
	// TileAttribution is shown on the map when TileURL is set.
	TileAttribution string
	// OIDCIssuer is the OpenID Connect issuer staff sign in with
	// (authorization code with PKCE in the browser); empty hides it.
	OIDCIssuer string
	// OIDCClientID is the console's client id at the issuer.
	OIDCClientID string
	// OIDCScopes are the scopes requested, space-separated; default
	// "openid profile".
	OIDCScopes string
	// OIDCTenantClaim and OIDCRolesClaim name where the issuer's tokens
	// carry the tenant and the roles (the services' OIDC_TENANT_CLAIM and
	// OIDC_ROLES_CLAIM), so the console shows who signed in; default
	// "tenant" and "roles".
	OIDCTenantClaim, OIDCRolesClaim string
	// Fail writes an error in the gateway's error shape.
	Fail func(w http.ResponseWriter, r *http.Request, err error)
}

// validate checks the settings once, at start-up.
func (s *Settings) validate() error {
	if s.DevMode && s.Signer == nil {
		return fmt.Errorf("console: development mode needs a token signer")
	}
	if s.DevTokenTTL <= 0 {
		s.DevTokenTTL = time.Hour
	}
	if s.OIDCScopes == "" {
		s.OIDCScopes = "openid profile"
	}
	if s.OIDCTenantClaim == "" {
		s.OIDCTenantClaim = "tenant"
	}
	if s.OIDCRolesClaim == "" {
		s.OIDCRolesClaim = "roles"
	}
	if s.Fail == nil {
		return fmt.Errorf("console: Fail is required")
	}
	if s.TileURL != "" {
		if _, err := origin(s.TileURL); err != nil {
			return fmt.Errorf("console: tile URL: %w", err)
		}
		if !strings.Contains(s.TileURL, "{z}") || !strings.Contains(s.TileURL, "{x}") || !strings.Contains(s.TileURL, "{y}") {
			return fmt.Errorf("console: tile URL %q must contain {z}, {x} and {y}", s.TileURL)
		}
	}
	if s.OIDCIssuer != "" {
		if _, err := origin(s.OIDCIssuer); err != nil {
			return fmt.Errorf("console: OIDC issuer: %w", err)
		}
		if s.OIDCClientID == "" {
			return fmt.Errorf("console: an OIDC issuer needs a client id")
		}
	}
	return nil
}

// origin returns scheme://host[:port] of an absolute http(s) URL.
func origin(raw string) (string, error) {
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0").Replace(raw))
	if err != nil {
		return "", err
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}

// contentSecurityPolicy allows the console's own files and API only, plus
// the configured tile server (images) and OIDC issuer (discovery and token
// calls). MapLibre's worker is a file of the bundle.
func (s *Settings) contentSecurityPolicy() string {
	connect := []string{"'self'"}
	img := []string{"'self'", "data:", "blob:"}
	if o, err := origin(s.TileURL); s.TileURL != "" && err == nil {
		connect, img = append(connect, o), append(img, o)
	}
	if o, err := origin(s.OIDCIssuer); s.OIDCIssuer != "" && err == nil {
		connect = append(connect, o)
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src " + strings.Join(img, " "),
		"connect-src " + strings.Join(connect, " "),
		"worker-src 'self' blob:",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}

// clientConfig is what the console reads at start (GET /console/config.json).
type clientConfig struct {
	DevMode         bool        `json:"dev_mode"`
	TileURL         string      `json:"tile_url,omitempty"`
	TileAttribution string      `json:"tile_attribution,omitempty"`
	OIDC            *oidcConfig `json:"oidc,omitempty"`
	Roles           []string    `json:"roles"`
}

type oidcConfig struct {
	Issuer      string `json:"issuer"`
	ClientID    string `json:"client_id"`
	Scopes      string `json:"scopes"`
	TenantClaim string `json:"tenant_claim"`
	RolesClaim  string `json:"roles_claim"`
}

// consoleRoles are the roles a person signs in to the console with (the
// service role is for processes only).
var consoleRoles = []string{
	auth.RoleAgent, auth.RoleTeamManager, auth.RoleMunicipalAdmin,
	auth.RoleSAPSLiaison, auth.RolePlatformAdmin, auth.RoleCitizen,
}

func (h *Handler) serveConfig(w http.ResponseWriter, _ *http.Request) {
	c := clientConfig{DevMode: h.settings.DevMode, TileURL: h.settings.TileURL,
		TileAttribution: h.settings.TileAttribution, Roles: consoleRoles}
	if h.settings.OIDCIssuer != "" {
		c.OIDC = &oidcConfig{Issuer: h.settings.OIDCIssuer, ClientID: h.settings.OIDCClientID, Scopes: h.settings.OIDCScopes,
			TenantClaim: h.settings.OIDCTenantClaim, RolesClaim: h.settings.OIDCRolesClaim}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(c)
}
