// Package authtest is an OpenID Connect identity provider for tests: it
// serves discovery, a JWKS of one or more RS256 keys (so tests can rotate
// them) and the authorization-code flow with PKCE, whose sign-in page lets
// the person at the browser choose who to be. Anyone who reaches it can
// sign in as anyone: it is for tests and local development only, and its
// keys live only as long as the process.
package authtest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/salga/trustengine/libs/auth"
)

// DefaultClientID is the client id the issuer knows when Options names none.
const DefaultClientID = "trustengine-console"

// Options configure an Issuer.
type Options struct {
	// ClientID is the one public client the issuer knows; default
	// DefaultClientID.
	ClientID string
	// Audience is the "aud" of access tokens; default ClientID.
	Audience string
	// TenantClaim and RolesClaim name where tokens carry the tenant and the
	// roles; default "tenant" and "roles". A dotted name (realm_access.roles)
	// nests, as Keycloak does; a name with a slash is one claim.
	TenantClaim, RolesClaim string
	// RedirectURIs are the redirect URIs the client may use, exactly; empty
	// allows any.
	RedirectURIs []string
	// TokenTTL is how long tokens live; default one hour.
	TokenTTL time.Duration
}

// Issuer is a running test identity provider.
type Issuer struct {
	// URL is the issuer, as tokens and discovery name it (http://127.0.0.1:port).
	URL string

	opts Options
	lis  net.Listener
	srv  *http.Server

	mu      sync.Mutex
	keys    []signingKey // published in the JWKS
	signing signingKey
	grants  map[string]grant

	jwksFetches atomic.Int64
}

// signingKey is one RSA key and its kid.
type signingKey struct {
	kid string
	key *rsa.PrivateKey
}

// Listen starts an issuer on addr (host:port; port 0 picks one).
func Listen(addr string, o Options) (*Issuer, error) {
	if o.ClientID == "" {
		o.ClientID = DefaultClientID
	}
	if o.Audience == "" {
		o.Audience = o.ClientID
	}
	if o.TenantClaim == "" {
		o.TenantClaim = "tenant"
	}
	if o.RolesClaim == "" {
		o.RolesClaim = "roles"
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = time.Hour
	}
	i := &Issuer{opts: o, grants: map[string]grant{}}
	if _, err := i.Rotate(); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("authtest.Listen: %w", err)
	}
	i.lis, i.URL = l, "http://"+l.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", i.serveDiscovery)
	mux.HandleFunc("GET /jwks", i.serveJWKS)
	mux.HandleFunc("GET /authorize", i.serveAuthorizePage)
	mux.HandleFunc("POST /authorize", i.serveAuthorize)
	mux.HandleFunc("POST /token", i.serveToken)
	mux.HandleFunc("OPTIONS /", i.servePreflight)
	i.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = i.srv.Serve(l) }()
	return i, nil
}

// Start runs an issuer on a free loopback port for the length of t.
func Start(t testing.TB, o Options) *Issuer {
	t.Helper()
	i, err := Listen("127.0.0.1:0", o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(i.Close)
	return i
}

// Close stops the issuer.
func (i *Issuer) Close() { _ = i.srv.Close() }

// ClientID returns the client id the issuer knows.
func (i *Issuer) ClientID() string { return i.opts.ClientID }

// Audience returns the "aud" of its access tokens.
func (i *Issuer) Audience() string { return i.opts.Audience }

// Rotate makes a new key, publishes it beside the others and signs with it
// from now on; it returns the new key's kid.
func (i *Issuer) Rotate() (string, error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", fmt.Errorf("authtest.Rotate: %w", err)
	}
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	sk := signingKey{kid: base64.RawURLEncoding.EncodeToString(id), key: k}
	i.mu.Lock()
	defer i.mu.Unlock()
	i.keys = append(i.keys, sk)
	i.signing = sk
	return sk.kid, nil
}

// Retire stops publishing the key kid (it may still be the signing key, to
// test what verifiers make of a withdrawn key).
func (i *Issuer) Retire(kid string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	kept := i.keys[:0]
	for _, k := range i.keys {
		if k.kid != kid {
			kept = append(kept, k)
		}
	}
	i.keys = kept
}

// SigningKey returns the kid and private key tokens are signed with now.
func (i *Issuer) SigningKey() (string, *rsa.PrivateKey) {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.signing.kid, i.signing.key
}

// JWKSFetches counts the requests for the key set so far.
func (i *Issuer) JWKSFetches() int { return int(i.jwksFetches.Load()) }

// Claims returns the claims of an access token for c, valid for ttl, as
// the token endpoint issues them; tests edit them to make bad tokens.
func (i *Issuer) Claims(c auth.Claims, ttl time.Duration) jwt.MapClaims {
	now := time.Now()
	m := jwt.MapClaims{"iss": i.URL, "sub": c.Subject, "aud": i.opts.Audience, "azp": i.opts.ClientID,
		"iat": now.Unix(), "exp": now.Add(ttl).Unix()}
	setClaim(m, i.opts.TenantClaim, c.Tenant)
	roles := make([]any, len(c.Roles))
	for n, r := range c.Roles {
		roles[n] = r
	}
	setClaim(m, i.opts.RolesClaim, roles)
	return m
}

// Sign signs claims with the current key, naming its kid.
func (i *Issuer) Sign(claims jwt.MapClaims) (string, error) {
	kid, key := i.SigningKey()
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = kid
	s, err := t.SignedString(key)
	if err != nil {
		return "", fmt.Errorf("authtest.Sign: %w", err)
	}
	return s, nil
}

// Mint returns an access token for c, valid for ttl.
func (i *Issuer) Mint(c auth.Claims, ttl time.Duration) (string, error) {
	return i.Sign(i.Claims(c, ttl))
}

// setClaim sets name in m; a dotted name without a slash nests objects.
func setClaim(m map[string]any, name string, v any) {
	parts := strings.Split(name, ".")
	if strings.Contains(name, "/") || len(parts) == 1 {
		m[name] = v
		return
	}
	cur := m
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	cur[parts[len(parts)-1]] = v
}

func (i *Issuer) serveDiscovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                i.URL,
		"authorization_endpoint":                i.URL + "/authorize",
		"token_endpoint":                        i.URL + "/token",
		"jwks_uri":                              i.URL + "/jwks",
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"none"},
		"scopes_supported":                      []string{"openid", "profile"},
	})
}

func (i *Issuer) serveJWKS(w http.ResponseWriter, _ *http.Request) {
	i.jwksFetches.Add(1)
	i.mu.Lock()
	keys := make([]map[string]string, 0, len(i.keys))
	for _, k := range i.keys {
		keys = append(keys, map[string]string{
			"kty": "RSA", "use": "sig", "alg": "RS256", "kid": k.kid,
			"n": base64.RawURLEncoding.EncodeToString(k.key.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.key.E)).Bytes()),
		})
	}
	i.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"keys": keys})
}

// servePreflight answers CORS preflights: the console reads discovery and
// redeems codes from its own origin.
func (i *Issuer) servePreflight(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, POST")
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	w.WriteHeader(http.StatusNoContent)
}

// writeJSON writes v with status, readable from any origin.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// errOAuth is an OAuth 2.0 error (RFC 6749, section 5.2).
type errOAuth struct{ code, description string }

func (e errOAuth) Error() string { return e.code + ": " + e.description }

func writeOAuthError(w http.ResponseWriter, err error) {
	var e errOAuth
	if !errors.As(err, &e) {
		e = errOAuth{"server_error", err.Error()}
	}
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": e.code, "error_description": e.description})
}
