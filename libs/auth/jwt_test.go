package auth_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/auth"
)

var secret = []byte("test-secret")

func rsaKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	return k
}

func signed(t *testing.T, m jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, claims).SignedString(key)
	require.NoError(t, err)
	return s
}

func validClaims() jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{"sub": "u1", "tenant": "CPT", "roles": []string{"agent"}, "iss": "trustengine",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

func with(key string, v any) jwt.MapClaims {
	c := validClaims()
	if v == nil {
		delete(c, key)
	} else {
		c[key] = v
	}
	return c
}

func TestHS256VerifierAcceptsOnlyGoodTokens(t *testing.T) {
	t.Parallel()
	key := rsaKey(t)
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	v := auth.NewHS256Verifier(secret)
	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{"a valid HS256 token is accepted", signed(t, jwt.SigningMethodHS256, secret, validClaims()), true},
		{"an expired token is rejected", signed(t, jwt.SigningMethodHS256, secret, with("exp", time.Now().Add(-time.Hour).Unix())), false},
		{"a token without exp is rejected", signed(t, jwt.SigningMethodHS256, secret, with("exp", nil)), false},
		{"a not-yet-valid token is rejected", signed(t, jwt.SigningMethodHS256, secret, with("nbf", time.Now().Add(time.Hour).Unix())), false},
		{"a token signed with another secret is rejected", signed(t, jwt.SigningMethodHS256, []byte("other"), validClaims()), false},
		{"an alg none token is rejected", signed(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, validClaims()), false},
		{"an RS256 token is rejected by the HS256 verifier", signed(t, jwt.SigningMethodRS256, key, validClaims()), false},
		{"an HS384 token with the right secret is rejected", signed(t, jwt.SigningMethodHS384, secret, validClaims()), false},
		{"a token without sub is rejected", signed(t, jwt.SigningMethodHS256, secret, with("sub", nil)), false},
		{"a token without tenant is rejected", signed(t, jwt.SigningMethodHS256, secret, with("tenant", nil)), false},
		{"a token with an unknown role is rejected", signed(t, jwt.SigningMethodHS256, secret, with("roles", []string{"root"})), false},
		{"a token from another issuer is rejected", signed(t, jwt.SigningMethodHS256, secret, with("iss", "evil")), false},
		{"garbage is rejected", "not.a.jwt", false},
		{"an HS256 token keyed with the public key PEM is rejected", signed(t, jwt.SigningMethodHS256, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}), validClaims()), false},
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
			require.Equal(t, auth.Claims{Subject: "u1", Tenant: "CPT", Roles: []string{"agent"}}, c)
		})
	}
}

func TestRS256VerifierRejectsAlgConfusion(t *testing.T) {
	t.Parallel()
	key := rsaKey(t)
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	path := filepath.Join(t.TempDir(), "pub.pem")
	require.NoError(t, os.WriteFile(path, pubPEM, 0o600))
	v, err := auth.NewVerifierFromConfig(auth.VerifierConfig{UserSecret: "ignored", UserPublicKeyFile: path})
	require.NoError(t, err)

	good, err := auth.MintRS256(key, auth.Claims{Subject: "u2", Tenant: "JHB", Roles: []string{auth.RoleSAPSLiaison}}, time.Minute)
	require.NoError(t, err)
	c, err := v.Verify(good)
	require.NoError(t, err)
	require.Equal(t, "u2", c.Subject)
	require.True(t, c.HasRole(auth.RoleSAPSLiaison))

	_, err = v.Verify(signed(t, jwt.SigningMethodHS256, pubPEM, validClaims()))
	require.Error(t, err, "HS256 keyed with the public key must not pass an RS256 verifier")
	_, err = v.Verify(signed(t, jwt.SigningMethodHS256, secret, validClaims()))
	require.Error(t, err)
	_, err = v.Verify(signed(t, jwt.SigningMethodRS256, rsaKey(t), validClaims()))
	require.Error(t, err, "a token from another RSA key is rejected")
}

func TestMintHS256RoundTrips(t *testing.T) {
	t.Parallel()
	v, err := auth.NewVerifierFromConfig(auth.VerifierConfig{UserSecret: string(secret)})
	require.NoError(t, err)
	tok, err := auth.MintHS256(secret, auth.Claims{Subject: "s", Tenant: "ETH", Roles: []string{"agent", "team_manager"}}, time.Minute)
	require.NoError(t, err)
	c, err := v.Verify(tok)
	require.NoError(t, err)
	require.True(t, c.HasAnyRole(auth.RolePlatformAdmin, auth.RoleTeamManager))
	require.False(t, c.HasAnyRole(auth.RolePlatformAdmin, auth.RoleCitizen))
}

func TestServiceTokensNameTheTenantOfTheirWork(t *testing.T) {
	t.Parallel()
	svc := []byte("service-secret")
	v, err := auth.NewVerifier(auth.Keys{UserSecret: secret, ServiceSecret: svc})
	require.NoError(t, err)
	tok, err := auth.MintService(svc, "ticket", "CPT", time.Minute)
	require.NoError(t, err)
	c, err := v.Verify(tok)
	require.NoError(t, err)
	require.Equal(t, auth.Claims{Subject: "ticket", Tenant: "CPT", Roles: []string{auth.RoleService}, Kind: auth.KindService}, c)
	_, err = auth.NewHS256Verifier(svc).Verify(tok)
	require.Error(t, err, "a service token is no user token, even to a verifier holding the service secret as its user key")

	for _, tenant := range []string{"", "cpt", "CPT JHB", "*CPT"} {
		_, err := auth.MintService(svc, "ticket", tenant, time.Minute)
		require.Error(t, err, "a service token for %q is not minted", tenant)
	}
	_, err = auth.MintGateway([]byte("gateway-secret"), auth.AllTenants, time.Minute)
	require.Error(t, err, "the gateway never calls for every tenant")
}
