package e2e

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
)

// rs256Env writes key's public half to a PEM file and returns the
// environment that makes every process verify user tokens with it. No
// process gets the private key: only the identity provider (here, the test)
// signs user tokens.
func rs256Env(t testing.TB, key *rsa.PrivateKey) []string {
	t.Helper()
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	pubFile := filepath.Join(t.TempDir(), "jwt.pub.pem")
	require.NoError(t, os.WriteFile(pubFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o600))
	return []string{"JWT_RS256_PUBLIC_KEY_FILE=" + pubFile}
}

// freshSecret returns a random HS256 secret long enough for a process
// outside development mode.
func freshSecret(t testing.TB) string {
	t.Helper()
	k := make([]byte, 48)
	_, err := rand.Read(k)
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(k)
}

// freshGBVKeys returns a GBV key ring of one random key with kid e2e.
func freshGBVKeys(t testing.TB) string {
	t.Helper()
	k := make([]byte, 32)
	_, err := rand.Read(k)
	require.NoError(t, err)
	return "e2e:" + base64.StdEncoding.EncodeToString(k)
}

// The RS256 suite runs outside development mode with its own secrets: the
// configuration a real deployment has.
func TestAnRS256DeploymentRoutesAndClocksTickets(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	s := startSuite(t, options{rs256: key})
	teams := s.seedCity(t, "TST")
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("agent-1", "TST", "agent")))
	created, err := tc.CreateTicket(context.Background(), &ticketv1.CreateTicketRequest{
		Category: commonv1.Category_CATEGORY_WATER, Description: "Burst pipe", Location: westPoint,
	})
	require.NoError(t, err)
	// Routing and clocks arrive only if the services' own service tokens
	// are accepted by each other.
	got := s.waitRoutedAndClocked(tc, created.GetTicket().GetId())
	require.Equal(t, teams.westWater, got.GetAssignedTeamId())

	// A token signed with the development HS256 secret is refused.
	hs, err := auth.MintHS256([]byte(secret), auth.Claims{Subject: "agent-1", Tenant: "TST", Roles: []string{"agent"}}, time.Hour)
	require.NoError(t, err)
	code, _, _ := s.call("GET", "/v1/tickets/"+created.GetTicket().GetId(), hs, "", nil)
	require.Equal(t, 401, code)
}

func TestATicketServiceWithoutPeersKeepsItsDeliveriesUntilTheyCanBeMade(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{envFor: map[string][]string{"ticket": {"ROUTING_ADDR=", "SLA_ADDR="}}})
	s.seedCity(t, "TST")
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("agent-1", "TST", "agent")))
	created, err := tc.CreateTicket(context.Background(), &ticketv1.CreateTicketRequest{
		Category: commonv1.Category_CATEGORY_WATER, Description: "Burst pipe", Location: westPoint,
	})
	require.NoError(t, err)
	require.Equal(t, 2, s.countRow(`select count(*) from ticket.river_job where state = 'available' and kind in ('ticket.route_ticket', 'ticket.sla_event')
		and args->>'ticket_id' = '`+created.GetTicket().GetId()+`'`), "the routing and SLA deliveries are recorded and wait")
}
