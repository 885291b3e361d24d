package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/seal"
)

// strongSecret is an HS256 secret a process accepts outside development mode.
const strongSecret = "e2e-strong-secret-0123456789abcdef"

// runCommand runs a built binary with only env (and PATH and HOME) in its
// environment, so nothing leaks in from the shell running the tests, and
// returns its combined output and its error once it exits (or after 30 s).
func runCommand(t *testing.T, name string, args, env []string) (string, error) {
	t.Helper()
	// Each refusal takes milliseconds; the bound only stops a process that
	// would serve, with room for a machine loaded by the parallel suites.
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(binaries(t), name), args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, ctx.Err(), "%s did not exit within 90 s:\n%s", name, out)
	return string(out), err
}

func TestEveryProcessRefusesDevelopmentDefaultsOutsideDevelopmentMode(t *testing.T) {
	t.Parallel()
	published := "JWT_HS256_SECRET=" + config.DevJWTSecret
	// A database that is never reached: each refusal comes before it.
	base := []string{"DATABASE_URL=postgres://postgres@127.0.0.1:1/none?sslmode=disable",
		"GRPC_ADDR=127.0.0.1:0", "ADMIN_ADDR=127.0.0.1:0", "GATEWAY_HTTP_ADDR=127.0.0.1:0"}
	strong := "JWT_HS256_SECRET=" + strongSecret
	svc := "SERVICE_JWT_SECRET=" + strongSecret + "-service"
	pub := "JWT_RS256_PUBLIC_KEY_FILE=/nonexistent/jwt.pub.pem"
	tests := []struct {
		name    string
		bin     string
		args    []string
		env     []string
		refusal string
	}{
		{"ticket refuses to start without a user-token secret", "ticket", nil, nil, "JWT_HS256_SECRET is empty"},
		{"ticket refuses the published user-token secret", "ticket", nil, []string{published}, "JWT_HS256_SECRET is the published development secret"},
		{"ticket refuses to start without a service-token secret", "ticket", nil, []string{strong}, "SERVICE_JWT_SECRET is empty"},
		{"ticket refuses the published service-token secret", "ticket", nil, []string{strong, "SERVICE_JWT_SECRET=" + config.DevServiceJWTSecret}, "SERVICE_JWT_SECRET is the published development secret"},
		{"ticket refuses the published gateway-token secret", "ticket", nil, []string{strong, svc, "GATEWAY_JWT_SECRET=" + config.DevGatewayJWTSecret}, "GATEWAY_JWT_SECRET is the published development secret"},
		{"ticket refuses to start without GBV keys", "ticket", nil, []string{strong, svc}, "GBV_KEYS is empty"},
		{"ticket refuses the published GBV key", "ticket", nil, []string{strong, svc, "GBV_KEYS=" + seal.DevKeys}, "GBV_KEYS holds the published development key"},
		{"routing refuses to start without a user-token secret", "routing", nil, nil, "JWT_HS256_SECRET is empty"},
		{"routing refuses the published user-token secret", "routing", nil, []string{published}, "JWT_HS256_SECRET is the published development secret"},
		{"routing refuses to start without a service-token secret", "routing", nil, []string{strong}, "SERVICE_JWT_SECRET is empty"},
		{"sla refuses to start without a user-token secret", "sla", nil, nil, "JWT_HS256_SECRET is empty"},
		{"sla refuses the published user-token secret", "sla", nil, []string{published}, "JWT_HS256_SECRET is the published development secret"},
		{"sla refuses the published service-token secret", "sla", nil, []string{strong, "SERVICE_JWT_SECRET=" + config.DevServiceJWTSecret}, "SERVICE_JWT_SECRET is the published development secret"},
		{"the gateway refuses to start without a public key or issuer for user tokens", "gateway", nil, nil, "OIDC_ISSUER and JWT_RS256_PUBLIC_KEY_FILE are empty"},
		{"the gateway refuses the published user-token secret", "gateway", nil, []string{published}, "JWT_HS256_SECRET is set"},
		{"the gateway refuses any user-token secret", "gateway", nil, []string{strong, pub}, "JWT_HS256_SECRET is set"},
		{"the gateway refuses to start without its own secret", "gateway", nil, []string{pub}, "GATEWAY_JWT_SECRET is empty"},
		{"the gateway refuses the published gateway-token secret", "gateway", nil, []string{pub, "GATEWAY_JWT_SECRET=" + config.DevGatewayJWTSecret}, "GATEWAY_JWT_SECRET is the published development secret"},
		{"devtoken refuses to sign without a secret", "devtoken", nil, nil, "JWT_HS256_SECRET is empty"},
		{"devtoken refuses to sign with the published secret", "devtoken", nil, []string{published}, "JWT_HS256_SECRET is the published development secret"},
		{"devtoken refuses to sign a service token without the service secret", "devtoken", []string{"-role", "service"}, nil, "SERVICE_JWT_SECRET is empty"},
		{"demoseed refuses to sign without a secret", "demoseed", []string{"-routing", "127.0.0.1:1"}, nil, "JWT_HS256_SECRET is empty"},
		{"demoseed refuses to sign with the published secret", "demoseed", []string{"-routing", "127.0.0.1:1"}, []string{published}, "JWT_HS256_SECRET is the published development secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := runCommand(t, tt.bin, tt.args, append(append([]string{}, base...), tt.env...))
			require.Error(t, err, "%s started:\n%s", tt.bin, out)
			require.Contains(t, out, tt.refusal)
			require.Contains(t, out, config.DevModeVar+"=1", "the refusal says how to run in development")
		})
	}
	// Holding the service key is refused whatever else is set: it is no
	// development default, so the refusal only says to unset it.
	out, err := runCommand(t, "gateway", nil, append(append([]string{}, base...), pub, svc, "GATEWAY_JWT_SECRET="+strongSecret))
	require.Error(t, err, "the gateway started with the service key:\n%s", out)
	require.Contains(t, out, "SERVICE_JWT_SECRET is set")
}

func TestTheSuiteRunsOnPublishedDefaultsInDevelopmentMode(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{devDefaults: true})

	// Development mode serves reflection without a token, for grpcurl.
	for _, addr := range []string{s.ticketAddr, s.routingAddr, s.slaAddr} {
		names, err := s.listServices(addr, "")
		require.NoError(t, err, addr)
		require.Contains(t, names, "grpc.health.v1.Health")
	}

	// demoseed and devtoken sign with the development secret too.
	dev := []string{config.DevModeVar + "=1"}
	out, err := runCommand(t, "demoseed", []string{"-routing", s.routingAddr}, dev)
	require.NoError(t, err, out)
	out, err = runCommand(t, "devtoken", []string{"-role", "agent", "-tenant", "CPT", "-sub", "dev-agent"}, dev)
	require.NoError(t, err, out)
	agent := strings.TrimSpace(out)
	code, body, _ := s.call("GET", "/v1/tickets", agent, "", nil)
	require.Equal(t, 200, code, body)

	// A ticket is routed and clocked: the services' own tokens work too.
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, agent))
	created, err := tc.CreateTicket(context.Background(), &ticketv1.CreateTicketRequest{
		Category: commonv1.Category_CATEGORY_WATER, Description: "Burst pipe at City Hall",
		Location: &commonv1.LatLng{Latitude: -33.9258, Longitude: 18.4232},
	})
	require.NoError(t, err)
	s.waitRoutedAndClocked(tc, created.GetTicket().GetId())
}
