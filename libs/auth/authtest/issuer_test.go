package authtest_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/auth/authtest"
)

const redirect = "http://127.0.0.1:1/console/oidc/callback"

// noRedirects is a client that shows redirects instead of following them.
var noRedirects = &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// authorize signs in as c with the PKCE challenge of verifier and returns
// the code the issuer redirects with.
func authorize(t *testing.T, iss *authtest.Issuer, verifier string, c auth.Claims) string {
	t.Helper()
	sum := sha256.Sum256([]byte(verifier))
	form := url.Values{"response_type": {"code"}, "client_id": {iss.ClientID()}, "redirect_uri": {redirect},
		"state": {"st"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
		"sub": {c.Subject}, "tenant": {c.Tenant}, "role": c.Roles}
	page, err := noRedirects.Get(iss.URL + "/authorize?" + form.Encode())
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, page.StatusCode)
	_ = page.Body.Close()
	resp, err := noRedirects.PostForm(iss.URL+"/authorize", form)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	back, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(back.String(), redirect+"?"))
	require.Equal(t, "st", back.Query().Get("state"))
	return back.Query().Get("code")
}

// redeem posts the token request and returns the status and the answer.
func redeem(t *testing.T, iss *authtest.Issuer, code, verifier, redirectURI string) (int, map[string]any) {
	t.Helper()
	resp, err := noRedirects.PostForm(iss.URL+"/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {redirectURI}, "client_id": {iss.ClientID()}, "code_verifier": {verifier}})
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, body
}

func TestTheCodeFlowIssuesTokensTheServicesVerify(t *testing.T) {
	t.Parallel()
	iss := authtest.Start(t, authtest.Options{RedirectURIs: []string{redirect}})
	v, err := auth.NewVerifierFromConfig(auth.VerifierConfig{OIDC: auth.OIDC{Issuer: iss.URL, Audiences: []string{iss.Audience()}}})
	require.NoError(t, err)
	verifier := strings.Repeat("v", 43)
	who := auth.Claims{Subject: "thandi", Tenant: "CPT", Roles: []string{auth.RoleAgent, auth.RoleTeamManager}}

	code := authorize(t, iss, verifier, who)
	status, body := redeem(t, iss, code, verifier, redirect)
	require.Equal(t, http.StatusOK, status, body)
	got, err := v.Verify(body["access_token"].(string))
	require.NoError(t, err)
	require.Equal(t, who, got)

	status, body = redeem(t, iss, code, verifier, redirect)
	require.Equal(t, http.StatusBadRequest, status, "a code is redeemed once")
	require.Equal(t, "invalid_grant", body["error"])
}

func TestTheTokenEndpointRefusesWhatPKCEAndTheRequestDoNotAllow(t *testing.T) {
	t.Parallel()
	iss := authtest.Start(t, authtest.Options{RedirectURIs: []string{redirect}})
	verifier := strings.Repeat("v", 43)
	who := auth.Claims{Subject: "u", Tenant: "CPT", Roles: []string{auth.RoleAgent}}
	tests := []struct {
		name, verifier, redirect string
	}{
		{"another code verifier", strings.Repeat("w", 43), redirect},
		{"no code verifier", "", redirect},
		{"another redirect URI", verifier, "http://127.0.0.1:2/elsewhere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code := authorize(t, iss, verifier, who)
			status, body := redeem(t, iss, code, tt.verifier, tt.redirect)
			require.Equal(t, http.StatusBadRequest, status)
			require.Equal(t, "invalid_grant", body["error"])
			status, _ = redeem(t, iss, code, verifier, redirect)
			require.Equal(t, http.StatusBadRequest, status, "a refused code is spent")
		})
	}
}

func TestTheSignInPageRefusesRequestsWithoutPKCEOrARegisteredRedirect(t *testing.T) {
	t.Parallel()
	iss := authtest.Start(t, authtest.Options{RedirectURIs: []string{redirect}})
	good := url.Values{"response_type": {"code"}, "client_id": {iss.ClientID()}, "redirect_uri": {redirect},
		"code_challenge": {strings.Repeat("c", 43)}, "code_challenge_method": {"S256"}}
	edit := func(k, v string) url.Values {
		q := url.Values{}
		for key, vs := range good {
			q[key] = vs
		}
		q.Set(k, v)
		return q
	}
	tests := []struct {
		name  string
		query url.Values
		want  int
	}{
		{"a complete request gets the page", good, http.StatusOK},
		{"no PKCE challenge", edit("code_challenge", ""), http.StatusBadRequest},
		{"the plain PKCE method", edit("code_challenge_method", "plain"), http.StatusBadRequest},
		{"an unregistered redirect URI", edit("redirect_uri", "http://evil.example/cb"), http.StatusBadRequest},
		{"another client", edit("client_id", "someone"), http.StatusBadRequest},
		{"the implicit flow", edit("response_type", "token"), http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, err := noRedirects.Get(iss.URL + "/authorize?" + tt.query.Encode())
			require.NoError(t, err)
			_ = resp.Body.Close()
			require.Equal(t, tt.want, resp.StatusCode)
		})
	}
}
