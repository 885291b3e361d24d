package console

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/gateway/internal/httpapi"
)

const secret = "console-test-secret"

var builtSite = fstest.MapFS{
	"index.html":            {Data: []byte("<!doctype html><title>console</title>")},
	"placeholder.html":      {Data: []byte("not built")},
	"assets/main-ABC123.js": {Data: []byte("console.log(1)")},
}

func newTestHandler(t *testing.T, files fstest.MapFS, s Settings) *Handler {
	t.Helper()
	s.Fail = httpapi.WriteError
	if s.Signer == nil {
		s.Signer = auth.NewHS256Signer([]byte(secret))
	}
	h, err := newHandler(files, s)
	require.NoError(t, err)
	return h
}

func get(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func TestTheConsoleServesItsFilesAndDeepLinks(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, builtSite, Settings{})
	require.True(t, h.Built())
	for _, tc := range []struct {
		name, path, body, cache string
		code                    int
	}{
		{"the root serves the app", "/console/", "<title>console</title>", "no-cache", 200},
		{"a deep link serves the app", "/console/tickets/8a0f/history", "<title>console</title>", "no-cache", 200},
		{"a hashed asset is cached for a year", "/console/assets/main-ABC123.js", "console.log(1)", "public, max-age=31536000, immutable", 200},
		{"a missing asset is not found rather than the app", "/console/assets/main-OLD.js", "404", "", 404},
		{"the placeholder is not served when the app is built", "/console/placeholder.html", "<title>console</title>", "no-cache", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(h, tc.path)
			require.Equal(t, tc.code, rec.Code)
			require.Contains(t, rec.Body.String(), tc.body)
			require.Equal(t, tc.cache, rec.Header().Get("Cache-Control"))
			require.Contains(t, rec.Header().Get("Content-Security-Policy"), "default-src 'self'")
		})
	}
	t.Run("the bare prefix redirects to the app", func(t *testing.T) {
		rec := get(h, "/console")
		require.Equal(t, http.StatusMovedPermanently, rec.Code)
		require.Equal(t, "/console/", rec.Header().Get("Location"))
	})
}

func TestAGatewayWithoutTheBundleSaysHowToBuildIt(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, fstest.MapFS{"placeholder.html": {Data: []byte("make console")}}, Settings{})
	require.False(t, h.Built())
	rec := get(h, "/console/queues/triage")
	require.Equal(t, 200, rec.Code)
	require.Contains(t, rec.Body.String(), "make console")

	t.Run("and the embedded placeholder says so too", func(t *testing.T) {
		embedded, err := New(Settings{Fail: httpapi.WriteError})
		require.NoError(t, err)
		if !embedded.Built() {
			require.Contains(t, get(embedded, "/console/").Body.String(), "make console")
		}
	})
}

func TestTheContentSecurityPolicyAllowsOnlySelfAndTheConfiguredServers(t *testing.T) {
	t.Parallel()
	plain := newTestHandler(t, builtSite, Settings{})
	csp := get(plain, "/console/").Header().Get("Content-Security-Policy")
	require.Contains(t, csp, "script-src 'self';")
	require.Contains(t, csp, "connect-src 'self';")
	require.Contains(t, csp, "frame-ancestors 'none'")
	require.NotContains(t, csp, "unsafe")

	tiles := newTestHandler(t, builtSite, Settings{
		TileURL:    "https://tiles.example.org/osm/{z}/{x}/{y}.png",
		OIDCIssuer: "https://id.example.org/realms/cpt", OIDCClientID: "console",
	})
	csp = get(tiles, "/console/").Header().Get("Content-Security-Policy")
	require.Contains(t, csp, "img-src 'self' data: blob: https://tiles.example.org;")
	require.Contains(t, csp, "connect-src 'self' https://tiles.example.org https://id.example.org;")

	for _, bad := range []Settings{
		{TileURL: "tiles.example.org/{z}/{x}/{y}"},
		{TileURL: "https://tiles.example.org/tile.png"},
		{OIDCIssuer: "https://id.example.org"},
		{DevMode: true},
	} {
		bad.Fail = httpapi.WriteError
		_, err := newHandler(builtSite, bad)
		require.Error(t, err, "%+v", bad)
	}
}

func TestConfigTellsTheConsoleHowToSignIn(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t, builtSite, Settings{DevMode: true, OIDCIssuer: "https://id.example.org", OIDCClientID: "console"})
	rec := get(h, "/console/config.json")
	require.Equal(t, 200, rec.Code)
	var c clientConfig
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &c))
	require.True(t, c.DevMode)
	require.Equal(t, "console", c.OIDC.ClientID)
	require.Equal(t, "openid profile", c.OIDC.Scopes)
	require.Equal(t, "tenant", c.OIDC.TenantClaim, "the default claim names")
	require.Equal(t, "roles", c.OIDC.RolesClaim)
	require.NotContains(t, c.Roles, auth.RoleService)

	// The claim names the services read are the console's too.
	h = newTestHandler(t, builtSite, Settings{OIDCIssuer: "https://id.example.org", OIDCClientID: "console",
		OIDCTenantClaim: "municipality", OIDCRolesClaim: "realm_access.roles"})
	require.NoError(t, json.Unmarshal(get(h, "/console/config.json").Body.Bytes(), &c))
	require.Equal(t, "municipality", c.OIDC.TenantClaim)
	require.Equal(t, "realm_access.roles", c.OIDC.RolesClaim)
}

func postToken(h http.Handler, contentType, body string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/console/dev-token", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	h.ServeHTTP(rec, req)
	return rec
}

func TestTheDevelopmentSignInMintsTokensOnlyInDevelopmentMode(t *testing.T) {
	t.Parallel()
	verifier := auth.NewHS256Verifier([]byte(secret))

	t.Run("outside development mode the sign-in does not exist", func(t *testing.T) {
		h := newTestHandler(t, builtSite, Settings{})
		rec := postToken(h, "application/json", `{"role":"agent","tenant":"CPT"}`)
		require.Equal(t, 404, rec.Code)
		require.NotContains(t, rec.Body.String(), "token\":\"ey")
	})

	h := newTestHandler(t, builtSite, Settings{DevMode: true})
	t.Run("in development mode a role of a tenant gets a token the services accept", func(t *testing.T) {
		rec := postToken(h, "application/json", `{"role":"saps_liaison","tenant":"CPT"}`)
		require.Equal(t, 200, rec.Code, rec.Body.String())
		var resp devTokenResponse
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
		c, err := verifier.Verify(resp.Token)
		require.NoError(t, err)
		require.Equal(t, auth.Claims{Subject: "dev-saps-liaison-cpt", Tenant: "CPT", Roles: []string{"saps_liaison"}}, c)
		require.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	})
	for _, tc := range []struct{ name, contentType, body, field string }{
		{"the service role", "application/json", `{"role":"service","tenant":"CPT"}`, "role"},
		{"an unknown role", "application/json", `{"role":"root","tenant":"CPT"}`, "role"},
		{"a tenant that is not a code", "application/json", `{"role":"agent","tenant":"*"}`, "tenant"},
		{"a lower-case tenant", "application/json", `{"role":"agent","tenant":"cpt"}`, "tenant"},
		{"a form post", "application/x-www-form-urlencoded", `role=agent&tenant=CPT`, "Content-Type"},
		{"unknown fields", "application/json", `{"role":"agent","tenant":"CPT","roles":["platform_admin"]}`, "body"},
	} {
		t.Run(tc.name+" is refused, naming the field", func(t *testing.T) {
			rec := postToken(h, tc.contentType, tc.body)
			require.Equal(t, 400, rec.Code)
			require.Contains(t, rec.Body.String(), `"`+tc.field+`"`)
			require.NotContains(t, rec.Body.String(), `"token"`)
		})
	}
}
