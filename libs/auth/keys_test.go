package auth_test

import (
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/auth"
)

var (
	serviceSecret = []byte("service-secret")
	gatewaySecret = []byte("gateway-secret")
)

// claimsFor returns valid token claims with sub, tenant, roles and, when
// not empty, an audience.
func claimsFor(sub, tenant, aud string, roles ...string) jwt.MapClaims {
	c := validClaims()
	c["sub"], c["tenant"], c["roles"] = sub, tenant, roles
	if aud != "" {
		c["aud"] = aud
	}
	return c
}

func TestEachKindOfTokenIsVerifiedOnlyWithItsOwnKey(t *testing.T) {
	t.Parallel()
	key := rsaKey(t)
	all, err := auth.NewVerifier(auth.Keys{UserSecret: secret, ServiceSecret: serviceSecret, GatewaySecret: gatewaySecret})
	require.NoError(t, err)
	rs, err := auth.NewVerifier(auth.Keys{UserPublicKey: &key.PublicKey, ServiceSecret: serviceSecret})
	require.NoError(t, err)
	withoutGateway, err := auth.NewVerifier(auth.Keys{UserSecret: secret, ServiceSecret: serviceSecret})
	require.NoError(t, err)
	gatewaysOwn := auth.NewHS256Verifier(secret) // the gateway checks user tokens only

	service, err := auth.MintService(serviceSecret, "routing", "CPT", time.Minute)
	require.NoError(t, err)
	allTenants, err := auth.MintService(serviceSecret, "notify", auth.AllTenants, time.Minute)
	require.NoError(t, err)
	gateway, err := auth.MintGateway(gatewaySecret, "CPT", time.Minute)
	require.NoError(t, err)
	hs := jwt.SigningMethodHS256
	tests := []struct {
		name  string
		v     *auth.Verifier
		token string
		kind  auth.Kind // when accepted
		ok    bool
	}{
		{"a user token is a user token", all, signed(t, hs, secret, claimsFor("u", "CPT", "", "agent")), auth.KindUser, true},
		{"a user token claiming the service role is refused", all, signed(t, hs, secret, claimsFor("u", "*", "", "service")), 0, false},
		{"a user token claiming the service role among others is refused", all, signed(t, hs, secret, claimsFor("u", "*", "", "platform_admin", "service")), 0, false},
		{"an RS256 user token claiming the service role is refused", rs, signed(t, jwt.SigningMethodRS256, key, claimsFor("u", "*", "", "service")), 0, false},
		{"a user-key token with the service audience is refused", all, signed(t, hs, secret, claimsFor("u", "*", auth.ServiceAudience, "service")), 0, false},
		{"a user-key token with the gateway audience is refused", all, signed(t, hs, secret, claimsFor("u", "*", auth.GatewayAudience, "service")), 0, false},
		{"a service token is a service token", all, service, auth.KindService, true},
		{"a service token passes an RS256 deployment", rs, service, auth.KindService, true},
		{"a service token without its audience is refused", all, signed(t, hs, serviceSecret, claimsFor("ticket", "*", "", "service")), 0, false},
		{"a service token claiming platform_admin is refused", all, signed(t, hs, serviceSecret, claimsFor("ticket", "*", auth.ServiceAudience, "service", "platform_admin")), 0, false},
		{"a service token for all tenants is a service token", all, allTenants, auth.KindService, true},
		{"a service token for a tenant that is no municipality code is refused", all, signed(t, hs, serviceSecret, claimsFor("ticket", "cpt;drop", auth.ServiceAudience, "service")), 0, false},
		{"a service-audience token signed with the gateway key is refused", all, signed(t, hs, gatewaySecret, claimsFor("gateway", "*", auth.ServiceAudience, "service")), 0, false},
		{"a service token is refused where only user tokens are checked", gatewaysOwn, service, 0, false},
		{"a gateway token is a gateway token", all, gateway, auth.KindGateway, true},
		{"a gateway-audience token signed with the service key is refused", all, signed(t, hs, serviceSecret, claimsFor("gateway", "*", auth.GatewayAudience, "service")), 0, false},
		{"a gateway token for all tenants is refused", all, signed(t, hs, gatewaySecret, claimsFor("gateway", "*", auth.GatewayAudience, "service")), 0, false},
		{"a gateway token claiming platform_admin is refused", all, signed(t, hs, gatewaySecret, claimsFor("gateway", "CPT", auth.GatewayAudience, "service", "platform_admin")), 0, false},
		{"a gateway token is refused without the gateway key", withoutGateway, gateway, 0, false},
		{"a gateway token is refused by an RS256 deployment without the gateway key", rs, gateway, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := tt.v.Verify(tt.token)
			if !tt.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.kind, c.Kind)
		})
	}
}

func TestNewVerifierRefusesKeysThatLetOneKindPassForAnother(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		keys auth.Keys
	}{
		{"no user key", auth.Keys{ServiceSecret: serviceSecret}},
		{"the service secret equal to the user secret", auth.Keys{UserSecret: secret, ServiceSecret: secret}},
		{"the gateway secret equal to the service secret", auth.Keys{UserSecret: secret, ServiceSecret: serviceSecret, GatewaySecret: serviceSecret}},
		{"the gateway secret equal to the user secret", auth.Keys{UserSecret: secret, GatewaySecret: secret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := auth.NewVerifier(tt.keys)
			require.Error(t, err)
		})
	}
}
