package e2e

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/auth/authtest"
)

// userCalls are one call per service that verifies user tokens: ticket,
// routing and sla over gRPC.
func (s *suite) userCalls(token string) map[string]func() error {
	ctx := context.Background()
	return map[string]func() error{
		"ticket ListTickets": func() error {
			_, err := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, token)).ListTickets(ctx, &ticketv1.ListTicketsRequest{})
			return err
		},
		"routing ListTeams": func() error {
			_, err := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, token)).ListTeams(ctx, &routingv1.ListTeamsRequest{Tenant: "TST"})
			return err
		},
		"sla ListSlaConfigs": func() error {
			_, err := slav1.NewSlaServiceClient(s.dial(s.slaAddr, token)).ListSlaConfigs(ctx, &slav1.ListSlaConfigsRequest{})
			return err
		},
	}
}

// requireAccepted checks that every service accepts token, and the JSON
// API through the gateway too.
func (s *suite) requireAccepted(t *testing.T, what, token string) {
	t.Helper()
	for call, do := range s.userCalls(token) {
		require.NoError(t, do(), "%s: %s", what, call)
	}
	code, body, _ := s.call("GET", "/v1/tickets", token, "", nil)
	require.Equal(t, 200, code, "%s: GET /v1/tickets: %v", what, body)
}

// requireRefused checks that every service refuses token, and the JSON API
// through the gateway too.
func (s *suite) requireRefused(t *testing.T, ty *tally, what, token string) {
	t.Helper()
	for call, do := range s.userCalls(token) {
		ty.grpc(t, what+": "+call, do(), codes.Unauthenticated)
	}
	code, body, _ := s.call("GET", "/v1/tickets", token, "", nil)
	ty.http(t, what+": GET /v1/tickets", code, body, 401)
}

// A deployment whose staff sign in with an OpenID Connect issuer: every
// process fetches the issuer's keys, reads the tenant and roles where the
// settings say (here Keycloak's shape), follows a key rotation and a
// withdrawn key without a restart, and refuses every other token.
func TestAnOIDCDeploymentVerifiesTheIssuersTokensAndFollowsItsKeys(t *testing.T) {
	t.Parallel()
	iss := authtest.Start(t, authtest.Options{Audience: "trustengine-api", TenantClaim: "municipality", RolesClaim: "realm_access.roles"})
	const refresh, maxAge = time.Second, 3 * time.Second
	s := startSuite(t, options{oidc: iss, oidcEnv: []string{"OIDC_TENANT_CLAIM=municipality", "OIDC_ROLES_CLAIM=realm_access.roles",
		"OIDC_JWKS_MIN_REFRESH=" + refresh.String(), "OIDC_JWKS_MAX_AGE=" + maxAge.String()}})
	fetchesAtStart := iss.JWKSFetches()
	require.GreaterOrEqual(t, fetchesAtStart, 4, "ticket, routing, sla and the gateway each fetch the keys at start")
	teams := s.seedCity(t, "TST")

	// A ticket created with the issuer's token is routed and clocked.
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("oidc-agent", "TST", "agent")))
	created, err := tc.CreateTicket(context.Background(), &ticketv1.CreateTicketRequest{
		Category: commonv1.Category_CATEGORY_WATER, Description: "Burst pipe", Location: westPoint,
	})
	require.NoError(t, err)
	require.Equal(t, teams.westWater, s.waitRoutedAndClocked(tc, created.GetTicket().GetId()).GetAssignedTeamId())
	oldKid, _ := iss.SigningKey()
	old := s.token("oidc-agent", "TST", "agent")
	s.requireAccepted(t, "a token of the first key", old)

	// The issuer rotates: a token of the new key is accepted by the same
	// processes once the refresh limit allows a fetch.
	pids := map[string]int{}
	for name, p := range s.procs {
		pids[name] = p.cmd.Process.Pid
	}
	_, err = iss.Rotate()
	require.NoError(t, err)
	time.Sleep(refresh + 100*time.Millisecond)
	rotated := s.token("oidc-agent", "TST", "agent")
	s.requireAccepted(t, "a token of the rotated key", rotated)
	s.requireAccepted(t, "a token of the first key, still published", old)
	for name, p := range s.procs {
		require.Equal(t, pids[name], p.cmd.Process.Pid, "%s was not restarted", name)
	}

	// The issuer withdraws the first key: once the cached keys are older
	// than OIDC_JWKS_MAX_AGE, its tokens are refused everywhere.
	iss.Retire(oldKid)
	time.Sleep(maxAge + 100*time.Millisecond)
	var ty tally
	s.requireRefused(t, &ty, "a token of the withdrawn key", old)
	s.requireAccepted(t, "a token of the rotated key after the withdrawal", rotated)

	// Every other token is refused by every process.
	other := authtest.Start(t, authtest.Options{Audience: "trustengine-api", TenantClaim: "municipality", RolesClaim: "realm_access.roles"})
	kid, key := iss.SigningKey()
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	agent := auth.Claims{Subject: "mallory", Tenant: "TST", Roles: []string{auth.RoleAgent}}
	claims := func(edit func(jwt.MapClaims)) jwt.MapClaims { c := iss.Claims(agent, time.Hour); edit(c); return c }
	sign := func(m jwt.SigningMethod, key any, kid string, c jwt.MapClaims) string {
		tk := jwt.NewWithClaims(m, c)
		tk.Header["kid"] = kid
		tok, err := tk.SignedString(key)
		require.NoError(t, err)
		return tok
	}
	otherKid, otherKey := other.SigningKey()
	fromOther, err := other.Mint(agent, time.Hour)
	require.NoError(t, err)
	devToken, err := auth.MintHS256([]byte(secret), agent, time.Hour)
	require.NoError(t, err)
	keep := func(jwt.MapClaims) {}
	refused := []struct{ name, token string }{
		{"a token of another issuer", fromOther},
		{"a token of another issuer's key naming this issuer", sign(jwt.SigningMethodRS256, otherKey, otherKid, claims(keep))},
		{"a token for another audience", sign(jwt.SigningMethodRS256, key, kid, claims(func(c jwt.MapClaims) { c["aud"] = "trustengine-console" }))},
		{"an expired token", sign(jwt.SigningMethodRS256, key, kid, claims(func(c jwt.MapClaims) {
			c["iat"], c["exp"] = time.Now().Add(-2*time.Hour).Unix(), time.Now().Add(-time.Hour).Unix()
		}))},
		{"a token naming a kid the issuer never published", sign(jwt.SigningMethodRS256, key, "not-published", claims(keep))},
		{"an HS256 token keyed with the issuer's public key", sign(jwt.SigningMethodHS256, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}), kid, claims(keep))},
		{"a token claiming the service role", sign(jwt.SigningMethodRS256, key, kid, claims(func(c jwt.MapClaims) { c["realm_access"] = map[string]any{"roles": []string{"service"}} }))},
		{"a token with a role outside the known set", sign(jwt.SigningMethodRS256, key, kid, claims(func(c jwt.MapClaims) { c["realm_access"] = map[string]any{"roles": []string{"offline_access"}} }))},
		{"a token with the tenant under the default claim name only", sign(jwt.SigningMethodRS256, key, kid, claims(func(c jwt.MapClaims) { c["tenant"] = c["municipality"]; delete(c, "municipality") }))},
		{"a token of the development secret", devToken},
	}
	for _, tk := range refused {
		s.requireRefused(t, &ty, tk.name, tk.token)
	}
	line := ty.report(t, "issuer tokens", 0)
	require.Zero(t, ty.accepted, line)
}

// The gateway verifies the issuer's tokens only to charge requests to their
// subject: two people of one municipality have a budget each.
func TestTheGatewayChargesAnIssuersTokensToTheirSubjects(t *testing.T) {
	t.Parallel()
	iss := authtest.Start(t, authtest.Options{})
	s := startSuite(t, options{oidc: iss, extraEnv: []string{"GATEWAY_TENANT_RATE=0", "GATEWAY_CLIENT_RATE=0.001", "GATEWAY_CLIENT_BURST=2"}})
	s.seedCity(t, "TST")
	var ty tally
	for _, who := range []string{"oidc-agent-1", "oidc-agent-2"} {
		tok := s.token(who, "TST", "agent")
		for n := range 3 {
			code, body, _ := s.call("GET", "/v1/tickets", tok, "", nil)
			if n < 2 {
				require.Equal(t, 200, code, "%s request %d is within its own budget: %v", who, n, body)
				continue
			}
			ty.http(t, fmt.Sprintf("%s request %d over its budget", who, n), code, body, 429)
		}
	}
	line := ty.report(t, "issuer rate budgets", 0)
	require.Zero(t, ty.accepted, line)
}

func TestEveryProcessRefusesAnIssuerItCannotTrust(t *testing.T) {
	t.Parallel()
	base := []string{"DATABASE_URL=postgres://postgres@127.0.0.1:1/none?sslmode=disable",
		"GRPC_ADDR=127.0.0.1:0", "ADMIN_ADDR=127.0.0.1:0", "GATEWAY_HTTP_ADDR=127.0.0.1:0",
		"SERVICE_JWT_SECRET=" + strongSecret + "-service", "GBV_KEYS=" + freshGBVKeys(t), "GBV_ACTIVE_KEY_ID=e2e"}
	gateway := []string{"SERVICE_JWT_SECRET=", "GATEWAY_JWT_SECRET=" + strongSecret + "-gateway"}
	tests := []struct {
		name    string
		env     []string
		refusal string
	}{
		{"an issuer on the network without https", []string{"OIDC_ISSUER=http://login.example.org/realms/cpt", "OIDC_AUDIENCE=trustengine-console"}, "is not https"},
		{"an issuer without an audience", []string{"OIDC_ISSUER=https://login.example.org/realms/cpt"}, "OIDC_AUDIENCE is empty"},
		{"an issuer that does not answer", []string{"OIDC_ISSUER=http://127.0.0.1:1", "OIDC_AUDIENCE=trustengine-console"}, "the keys of http://127.0.0.1:1"},
	}
	for _, tt := range tests {
		for _, bin := range []string{"ticket", "routing", "sla", "gateway"} {
			t.Run(bin+" refuses "+tt.name, func(t *testing.T) {
				t.Parallel()
				env := append(append([]string{}, base...), tt.env...)
				if bin == "gateway" {
					env = append(env, gateway...)
				}
				out, err := runCommand(t, bin, nil, env)
				require.Error(t, err, "%s started:\n%s", bin, out)
				require.Contains(t, out, tt.refusal)
			})
		}
	}
}
