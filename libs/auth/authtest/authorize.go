package authtest

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/salga/trustengine/libs/auth"
)

// codeTTL is how long an authorization code may wait to be redeemed.
const codeTTL = time.Minute

// grant is what an authorization code stands for until it is redeemed.
type grant struct {
	clientID, redirectURI, challenge, nonce string
	claims                                  auth.Claims
	expires                                 time.Time
}

// authRequest is an authorization request's parameters.
type authRequest struct {
	ClientID, RedirectURI, State, Nonce, Challenge, Scope string
}

// personRoles are the roles the sign-in page offers (the service role is
// no person's).
var personRoles = []string{auth.RoleAgent, auth.RoleTeamManager, auth.RoleMunicipalAdmin,
	auth.RoleSAPSLiaison, auth.RolePlatformAdmin, auth.RoleCitizen}

// parseAuthRequest checks an authorization request: the known client, a
// registered redirect URI and PKCE with S256, which this issuer requires.
func (i *Issuer) parseAuthRequest(q url.Values) (authRequest, error) {
	a := authRequest{ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"), State: q.Get("state"),
		Nonce: q.Get("nonce"), Challenge: q.Get("code_challenge"), Scope: q.Get("scope")}
	u, err := url.Parse(a.RedirectURI)
	switch {
	case q.Get("response_type") != "code":
		return a, errOAuth{"unsupported_response_type", "response_type must be code"}
	case a.ClientID != i.opts.ClientID:
		return a, errOAuth{"unauthorized_client", "unknown client_id " + a.ClientID}
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
		return a, errOAuth{"invalid_request", "redirect_uri must be an absolute http(s) URL"}
	case len(i.opts.RedirectURIs) > 0 && !slices.Contains(i.opts.RedirectURIs, a.RedirectURI):
		return a, errOAuth{"invalid_request", "redirect_uri " + a.RedirectURI + " is not registered"}
	case q.Get("code_challenge_method") != "S256" || len(a.Challenge) != 43:
		return a, errOAuth{"invalid_request", "PKCE is required: code_challenge with code_challenge_method S256"}
	}
	return a, nil
}

var signInPage = template.Must(template.New("signin").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test identity provider: sign in</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.5rem 0}fieldset{margin:1rem 0}</style></head>
<body><main>
<h1>Sign in to the test identity provider</h1>
<p>For tests only: choose who to be. Signing in to <code>{{.Req.ClientID}}</code>.</p>
<form method="post" action="authorize">
<input type="hidden" name="response_type" value="code">
<input type="hidden" name="client_id" value="{{.Req.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.Req.RedirectURI}}">
<input type="hidden" name="state" value="{{.Req.State}}">
<input type="hidden" name="nonce" value="{{.Req.Nonce}}">
<input type="hidden" name="scope" value="{{.Req.Scope}}">
<input type="hidden" name="code_challenge" value="{{.Req.Challenge}}">
<input type="hidden" name="code_challenge_method" value="S256">
<label>User id <input name="sub" required value="oidc-user"></label>
<label>Municipality code <input name="tenant" required value="CPT"></label>
<fieldset><legend>Roles</legend>
{{range .Roles}}<label><input type="checkbox" name="role" value="{{.}}"> {{.}}</label>
{{end}}</fieldset>
<button type="submit">Sign in</button>
</form></main></body></html>
`))

// serveAuthorizePage shows the sign-in page of a valid authorization request.
func (i *Issuer) serveAuthorizePage(w http.ResponseWriter, r *http.Request) {
	a, err := i.parseAuthRequest(r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = signInPage.Execute(w, struct {
		Req   authRequest
		Roles []string
	}{a, personRoles})
}

// serveAuthorize signs in the person the page's form names and sends the
// browser back to the client with a single-use code.
func (i *Issuer) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a, err := i.parseAuthRequest(r.PostForm)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c := auth.Claims{Subject: r.PostForm.Get("sub"), Tenant: r.PostForm.Get("tenant"), Roles: r.PostForm["role"]}
	if c.Subject == "" || c.Tenant == "" {
		http.Error(w, "user id and municipality code are required", http.StatusBadRequest)
		return
	}
	code := randomString()
	i.mu.Lock()
	i.grants[code] = grant{clientID: a.ClientID, redirectURI: a.RedirectURI, challenge: a.Challenge,
		nonce: a.Nonce, claims: c, expires: time.Now().Add(codeTTL)}
	i.mu.Unlock()
	back, _ := url.Parse(a.RedirectURI)
	q := back.Query()
	q.Set("code", code)
	if a.State != "" {
		q.Set("state", a.State)
	}
	back.RawQuery = q.Encode()
	http.Redirect(w, r, back.String(), http.StatusSeeOther)
}

// serveToken redeems a code (RFC 6749 section 4.1.3) once, for the client
// and redirect URI it was issued to, and only with the PKCE verifier whose
// S256 challenge the authorization request carried (RFC 7636).
func (i *Issuer) serveToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, errOAuth{"invalid_request", err.Error()})
		return
	}
	f := r.PostForm
	if f.Get("grant_type") != "authorization_code" {
		writeOAuthError(w, errOAuth{"unsupported_grant_type", "grant_type must be authorization_code"})
		return
	}
	code := f.Get("code")
	i.mu.Lock()
	g, ok := i.grants[code]
	delete(i.grants, code)
	i.mu.Unlock()
	sum := sha256.Sum256([]byte(f.Get("code_verifier")))
	switch {
	case !ok || time.Now().After(g.expires):
		writeOAuthError(w, errOAuth{"invalid_grant", "unknown, used or expired code"})
		return
	case f.Get("client_id") != g.clientID || f.Get("redirect_uri") != g.redirectURI:
		writeOAuthError(w, errOAuth{"invalid_grant", "the code was issued to another client or redirect_uri"})
		return
	case subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(g.challenge)) != 1:
		writeOAuthError(w, errOAuth{"invalid_grant", "code_verifier does not match the code_challenge"})
		return
	}
	access, err := i.Mint(g.claims, i.opts.TokenTTL)
	if err != nil {
		writeOAuthError(w, err)
		return
	}
	idClaims := i.Claims(g.claims, i.opts.TokenTTL)
	idClaims["aud"] = g.clientID
	if g.nonce != "" {
		idClaims["nonce"] = g.nonce
	}
	id, err := i.Sign(idClaims)
	if err != nil {
		writeOAuthError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": access, "id_token": id,
		"token_type": "Bearer", "expires_in": int(i.opts.TokenTTL.Seconds())})
}

// randomString is 32 random bytes, base64url.
func randomString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
