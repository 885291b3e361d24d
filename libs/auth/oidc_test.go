package auth_test

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/auth/authtest"
)

// oidcVerifier is a process's verifier for issuer iss (beside the HS256
// development key), as NewVerifierFromConfig builds it from the settings.
func oidcVerifier(t *testing.T, iss *authtest.Issuer, edit func(*auth.OIDC)) *auth.Verifier {
	t.Helper()
	o := auth.OIDC{Issuer: iss.URL, Audiences: []string{iss.Audience()}}
	if edit != nil {
		edit(&o)
	}
	v, err := auth.NewVerifierFromConfig(auth.VerifierConfig{UserSecret: string(secret), ServiceSecret: string(serviceSecret), OIDC: o})
	require.NoError(t, err)
	return v
}

func TestOIDCTokensAreVerifiedWithTheIssuersKeysAndNothingElse(t *testing.T) {
	t.Parallel()
	iss := authtest.Start(t, authtest.Options{})
	other := authtest.Start(t, authtest.Options{})
	v := oidcVerifier(t, iss, nil)
	kid, key := iss.SigningKey()
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})

	agent := auth.Claims{Subject: "oidc-1", Tenant: "CPT", Roles: []string{auth.RoleAgent}}
	claims := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := iss.Claims(agent, time.Hour)
		if edit != nil {
			edit(c)
		}
		return c
	}
	sign := func(c jwt.MapClaims) string {
		tok, err := iss.Sign(c)
		require.NoError(t, err)
		return tok
	}
	// withKey signs c with m and key under header kid k.
	withKey := func(m jwt.SigningMethod, key any, k string, c jwt.MapClaims) string {
		tk := jwt.NewWithClaims(m, c)
		if k != "" {
			tk.Header["kid"] = k
		}
		s, err := tk.SignedString(key)
		require.NoError(t, err)
		return s
	}
	otherKid, otherKey := other.SigningKey()
	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{"a token of the issuer for the audience is accepted", sign(claims(nil)), true},
		{"a token naming another issuer is refused", sign(claims(func(c jwt.MapClaims) { c["iss"] = other.URL })), false},
		{"a token of another issuer, signed with its own key, is refused", withKey(jwt.SigningMethodRS256, otherKey, otherKid, other.Claims(agent, time.Hour)), false},
		{"a token of another issuer claiming this one is refused", withKey(jwt.SigningMethodRS256, otherKey, otherKid, claims(nil)), false},
		{"a token for another audience is refused", sign(claims(func(c jwt.MapClaims) { c["aud"] = "another-client" })), false},
		{"a token without an audience is refused", sign(claims(func(c jwt.MapClaims) { delete(c, "aud") })), false},
		{"an expired token is refused", sign(claims(func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Hour).Unix() })), false},
		{"a token without an expiry is refused", sign(claims(func(c jwt.MapClaims) { delete(c, "exp") })), false},
		{"a token not valid yet is refused", sign(claims(func(c jwt.MapClaims) { c["nbf"] = time.Now().Add(time.Hour).Unix() })), false},
		{"a token naming a kid the issuer never published is refused", withKey(jwt.SigningMethodRS256, key, "no-such-kid", claims(nil)), false},
		{"a token naming the issuer's kid but signed with another key is refused", withKey(jwt.SigningMethodRS256, otherKey, kid, claims(nil)), false},
		{"an HS256 token keyed with the issuer's public key (PEM) is refused", withKey(jwt.SigningMethodHS256, pubPEM, kid, claims(nil)), false},
		{"an HS256 token keyed with the issuer's public key (DER) is refused", withKey(jwt.SigningMethodHS256, pubDER, kid, claims(nil)), false},
		{"an HS256 token keyed with the issuer's modulus is refused", withKey(jwt.SigningMethodHS256, key.N.Bytes(), kid, claims(nil)), false},
		{"an HS256 token of the issuer signed with the development secret is refused", withKey(jwt.SigningMethodHS256, secret, kid, claims(nil)), false},
		{"an unsigned alg=none token is refused", withKey(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, kid, claims(nil)), false},
		{"an RS512 token of the issuer's key is refused", withKey(jwt.SigningMethodRS512, key, kid, claims(nil)), false},
		{"a PS256 token of the issuer's key is refused", withKey(jwt.SigningMethodPS256, key, kid, claims(nil)), false},
		{"a token of the issuer claiming the service role is refused", sign(claims(func(c jwt.MapClaims) { c["roles"] = []string{"service"} })), false},
		{"a token of the issuer with the service audience is refused", sign(claims(func(c jwt.MapClaims) { c["aud"] = auth.ServiceAudience; c["roles"] = []string{"service"} })), false},
		{"a token with a role outside the known set is refused", sign(claims(func(c jwt.MapClaims) { c["roles"] = []string{"agent", "offline_access"} })), false},
		{"a token whose roles are not strings is refused", sign(claims(func(c jwt.MapClaims) { c["roles"] = []any{1} })), false},
		{"a token without a tenant is refused", sign(claims(func(c jwt.MapClaims) { delete(c, "tenant") })), false},
		{"a token whose tenant is no municipality code is refused", sign(claims(func(c jwt.MapClaims) { c["tenant"] = "cpt; drop" })), false},
		{"a token without a subject is refused", sign(claims(func(c jwt.MapClaims) { delete(c, "sub") })), false},
		{"a token claiming the suite's own issuer is refused", sign(claims(func(c jwt.MapClaims) { c["iss"] = auth.Issuer })), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := v.Verify(tt.token)
			if !tt.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, agent, c)
		})
	}
}

func TestTheDevelopmentKeyStillVerifiesBesideAnIssuer(t *testing.T) {
	t.Parallel()
	v := oidcVerifier(t, authtest.Start(t, authtest.Options{}), nil)
	dev, err := auth.MintHS256(secret, auth.Claims{Subject: "dev", Tenant: "CPT", Roles: []string{auth.RoleAgent}}, time.Minute)
	require.NoError(t, err)
	_, err = v.Verify(dev)
	require.NoError(t, err)
	svc, err := auth.MintService(serviceSecret, "ticket", "CPT", time.Minute)
	require.NoError(t, err)
	c, err := v.Verify(svc)
	require.NoError(t, err)
	require.Equal(t, auth.KindService, c.Kind)
}

func TestTheTenantAndRolesClaimsAreWhereTheSettingsSay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, tenantClaim, rolesClaim string
	}{
		{"top-level claims of other names", "municipality", "groups"},
		{"Keycloak's realm roles, a nested path", "tenant", "realm_access.roles"},
		{"namespaced claim names with dots", "https://trustengine.example/tenant", "https://trustengine.example/roles"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			iss := authtest.Start(t, authtest.Options{TenantClaim: tt.tenantClaim, RolesClaim: tt.rolesClaim, Audience: "trustengine-api"})
			v := oidcVerifier(t, iss, func(o *auth.OIDC) { o.TenantClaim, o.RolesClaim = tt.tenantClaim, tt.rolesClaim })
			want := auth.Claims{Subject: "u", Tenant: "JHB", Roles: []string{auth.RoleTeamManager, auth.RoleAgent}}
			tok, err := iss.Mint(want, time.Minute)
			require.NoError(t, err)
			got, err := v.Verify(tok)
			require.NoError(t, err)
			require.Equal(t, want, got)

			// The default names do not find both claims in these tokens.
			other, err := oidcVerifier(t, iss, nil).Verify(tok)
			if err == nil {
				require.Empty(t, other.Roles)
			}
		})
	}
}

func TestTheIssuerRotatesKeysWithoutARestart(t *testing.T) {
	t.Parallel()
	iss := authtest.Start(t, authtest.Options{})
	v := oidcVerifier(t, iss, func(o *auth.OIDC) { o.MinRefresh = time.Nanosecond })
	require.Equal(t, 1, iss.JWKSFetches(), "the keys are fetched at start")
	c := auth.Claims{Subject: "u", Tenant: "CPT", Roles: []string{auth.RoleAgent}}
	old, err := iss.Mint(c, time.Hour)
	require.NoError(t, err)
	_, err = v.Verify(old)
	require.NoError(t, err)
	require.Equal(t, 1, iss.JWKSFetches(), "a known key needs no fetch")

	oldKid, _ := iss.SigningKey()
	_, err = iss.Rotate()
	require.NoError(t, err)
	rotated, err := iss.Mint(c, time.Hour)
	require.NoError(t, err)
	_, err = v.Verify(rotated)
	require.NoError(t, err, "a token of the new key is accepted once its kid is unknown")
	require.Equal(t, 2, iss.JWKSFetches())
	_, err = v.Verify(old)
	require.NoError(t, err, "both keys are published, so both verify")
	require.Equal(t, 2, iss.JWKSFetches())

	// A withdrawn key stops verifying once the cached keys are old.
	stale := oidcVerifier(t, iss, func(o *auth.OIDC) { o.MinRefresh, o.MaxAge = time.Nanosecond, time.Nanosecond })
	_, err = stale.Verify(old)
	require.NoError(t, err)
	iss.Retire(oldKid)
	_, err = stale.Verify(old)
	require.ErrorContains(t, err, "no longer publishes")
	_, err = stale.Verify(rotated)
	require.NoError(t, err)
}

func TestInventedKeyIDsDoNotMakeEveryRequestCallTheIssuer(t *testing.T) {
	t.Parallel()
	iss := authtest.Start(t, authtest.Options{})
	v := oidcVerifier(t, iss, func(o *auth.OIDC) { o.MinRefresh = time.Hour })
	_, key := iss.SigningKey()
	tokens := make([]string, 50)
	for n := range tokens {
		tk := jwt.NewWithClaims(jwt.SigningMethodRS256, iss.Claims(auth.Claims{Subject: "u", Tenant: "CPT"}, time.Hour))
		tk.Header["kid"] = fmt.Sprintf("invented-%d", n)
		s, err := tk.SignedString(key)
		require.NoError(t, err)
		tokens[n] = s
	}
	errs := make([]error, len(tokens))
	var wg sync.WaitGroup
	for n, tok := range tokens {
		wg.Go(func() { _, errs[n] = v.Verify(tok) })
	}
	wg.Wait()
	for _, err := range errs {
		require.Error(t, err)
	}
	require.Equal(t, 1, iss.JWKSFetches(), "only the fetch at start: the next is allowed an hour later")

	// The same limit delays a genuine rotation until the interval passes.
	_, err := iss.Rotate()
	require.NoError(t, err)
	tok, err := iss.Mint(auth.Claims{Subject: "u", Tenant: "CPT"}, time.Hour)
	require.NoError(t, err)
	_, err = v.Verify(tok)
	require.Error(t, err)
	require.Equal(t, 1, iss.JWKSFetches())
}

func TestAnIssuerThatCannotBeReadRefusesToStart(t *testing.T) {
	t.Parallel()
	iss := authtest.Start(t, authtest.Options{})
	tests := []struct {
		name   string
		oidc   auth.OIDC
		reason string
	}{
		{"an issuer URL with a trailing slash the issuer does not use", auth.OIDC{Issuer: iss.URL + "/", Audiences: []string{"x"}}, "names issuer"},
		{"an issuer that does not answer", auth.OIDC{Issuer: "http://127.0.0.1:1", Audiences: []string{"x"}}, "connect"},
		{"no audience", auth.OIDC{Issuer: iss.URL}, "no audience"},
		{"an issuer that is no URL", auth.OIDC{Issuer: "keycloak", Audiences: []string{"x"}}, "not an absolute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := auth.NewVerifierFromConfig(auth.VerifierConfig{OIDC: tt.oidc})
			require.ErrorContains(t, err, tt.reason)
		})
	}
	v, err := auth.NewVerifierFromConfig(auth.VerifierConfig{OIDC: auth.OIDC{Issuer: iss.URL, Audiences: []string{iss.Audience()}}})
	require.NoError(t, err, "an issuer alone verifies user tokens")
	dev, err := auth.MintHS256(secret, auth.Claims{Subject: "dev", Tenant: "CPT"}, time.Minute)
	require.NoError(t, err)
	_, err = v.Verify(dev)
	require.Error(t, err, "without a user key, only the issuer's tokens pass")
}
