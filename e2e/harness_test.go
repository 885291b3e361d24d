package e2e

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/auth/authtest"
	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
)

// The secrets of a development-mode suite: user tokens (HS256), service
// tokens and the gateway's tokens.
const (
	secret        = "e2e-test-secret"
	serviceSecret = "e2e-service-secret"
	gatewaySecret = "e2e-gateway-secret"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries builds the five service binaries and the devtoken, demoseed and
// trustctl commands once per test process, in one go build (which links
// them in parallel). They go to a directory of this checkout's own that
// outlives the run, so that go build, finding a binary up to date, does
// not link it again: a second run starts its processes at once.
func binaries(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Dir(filepath.Dir(file))
		sum := sha256.Sum256([]byte(root))
		binDir = filepath.Join(os.TempDir(), "trustengine-e2e-bin-"+hex.EncodeToString(sum[:6]))
		if buildErr = os.MkdirAll(binDir, 0o755); buildErr != nil {
			return
		}
		// go build writes each binary beside the old one and renames it
		// over it, so a process another run started keeps its file.
		cmd := exec.Command("go", "build", "-o", binDir+string(filepath.Separator),
			"./services/ticket/cmd/ticket", "./services/routing/cmd/routing", "./services/sla/cmd/sla",
			"./services/notify/cmd/notify", "./services/gateway/cmd/gateway", "./services/gateway/cmd/demoseed",
			"./libs/cmd/devtoken", "./tools/trustctl")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	require.NoError(t, buildErr)
	return binDir
}

// freePort returns a loopback address that is free now and that nothing else
// in this run will be handed. A port the kernel picks for ":0" comes from the
// ephemeral range, which every outgoing connection (to Postgres, between the
// services) draws from too, so between closing the probe and the service
// binding it a client socket could take it, and the service would exit with
// "address already in use". Ports are therefore taken from just below the
// ephemeral range, one at a time from a shared counter.
func freePort(t testing.TB) string {
	t.Helper()
	for range 2000 {
		port := portWindow.next()
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue // held by something outside this run
		}
		addr := l.Addr().String()
		require.NoError(t, l.Close())
		return addr
	}
	t.Fatal("freePort: no free port below the ephemeral range")
	return ""
}

// ports hands out ports from [low, high) in turn, starting at an offset
// derived from the process id so that two test binaries running at the same
// time start far apart.
type ports struct {
	once      sync.Once
	low, size int
	n         atomic.Int64
}

var portWindow ports

func (p *ports) next() int {
	p.once.Do(func() {
		low, high := 32768, 60999 // Linux's default ephemeral range
		if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
			if f := strings.Fields(string(b)); len(f) == 2 {
				if l, err := strconv.Atoi(f[0]); err == nil {
					low = l
				}
				if h, err := strconv.Atoi(f[1]); err == nil {
					high = h
				}
			}
		}
		if low >= 12000 {
			p.low, p.size = low-10000, 10000 // below the ephemeral range
		} else {
			p.low, p.size = high+1, 65535-high // above it
		}
		p.n.Store(int64(os.Getpid() * 7919 % p.size))
	})
	return p.low + int(p.n.Add(1)%int64(p.size))
}

// proc is one running service process that can be killed and restarted.
type proc struct {
	t    testing.TB
	name string
	bin  string
	env  []string
	log  *bytes.Buffer
	// logMu guards log: every run of the process writes to it, and the
	// test reads it (logText).
	logMu sync.Mutex
	mu    sync.Mutex
	cmd   *exec.Cmd
	done  chan struct{}
}

// logText is what the process has written so far.
func (p *proc) logText() string {
	p.logMu.Lock()
	defer p.logMu.Unlock()
	return p.log.String()
}

// start launches the process (again, after a kill).
func (p *proc) start() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	cmd := exec.Command(p.bin)
	cmd.Env = append(os.Environ(), p.env...)
	w := &lockedWriter{mu: &p.logMu, buf: p.log}
	cmd.Stdout, cmd.Stderr = w, w
	require.NoError(p.t, cmd.Start(), "start %s", p.name)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	p.cmd, p.done = cmd, done
}

// kill sends SIGKILL, as a crash would, and waits for the process to end.
func (p *proc) kill() {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
}

// stop sends SIGTERM and waits for a graceful exit.
func (p *proc) stop() {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

type lockedWriter struct {
	mu  *sync.Mutex
	buf *bytes.Buffer
}

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(b)
}

// suite is a running copy of the whole system.
type suite struct {
	t           testing.TB
	db          *pgxpool.Pool
	signer      userSigner // signs the test's user tokens
	serviceKey  []byte     // signs service tokens
	gatewayKey  []byte     // signs gateway tokens
	ticketAddr  string
	routingAddr string
	slaAddr     string
	notifyAddr  string
	gatewayURL  string
	// gatewayURLs are every gateway's URL, gatewayURL first.
	gatewayURLs []string
	procs       map[string]*proc
	slaReplicas []*proc
	// attachmentDir is where the ticket service keeps photos when it
	// keeps them in a local directory.
	attachmentDir string
	// notifyReplicas are the notify processes ("notify-0" first).
	notifyReplicas []*proc
	// mail and sms are the suite's Mailpit and SMS provider, when asked.
	mail *mailpit
	sms  *smsFake
}

// userSigner mints user tokens as the suite's identity provider would:
// an auth.Signer, or the test OpenID Connect issuer.
type userSigner interface {
	Mint(c auth.Claims, ttl time.Duration) (string, error)
}

// options change how the suite is started.
type options struct {
	// slaReplicas is how many SLA service processes run at once (default 1).
	slaReplicas int
	// notifyReplicas is how many notify processes run at once (default 1).
	notifyReplicas int
	// messaging gives notify a Mailpit of its own (STARTTLS, auth) and a
	// Twilio-compatible SMS provider (s.mail, s.sms); without it notify
	// runs without providers and its messages wait.
	messaging bool
	// extraEnv is added to every service's environment.
	extraEnv []string
	// envFor is added to the environment of the named process only (after
	// extraEnv, so it wins), e.g. "TICKET_ADDR=" for routing keeps its
	// deliveries to the ticket service recorded but not worked.
	envFor map[string][]string
	// rs256 switches the whole suite to RS256 user tokens signed with this
	// key and runs it outside development mode, as a real deployment: every
	// process verifies user tokens with its public key and none holds a
	// secret that signs them, service and gateway tokens have fresh secrets
	// of their own, and GBV content is sealed with a fresh key. Without it
	// every process runs in development mode (TRUSTENGINE_DEV_MODE=1), as
	// make run does, with the secrets above.
	rs256 *rsa.PrivateKey
	// oidc runs the suite outside development mode, as rs256 does, with
	// user tokens from this OpenID Connect issuer only: every process
	// fetches its keys (OIDC_ISSUER), none holds a user-token key.
	// oidcEnv adds settings (claim names, refresh limits) for every process.
	oidc    *authtest.Issuer
	oidcEnv []string
	// replicas runs that many processes of each of ticket, routing, sla
	// and notify (at least slaReplicas and notifyReplicas of those two),
	// and every process and gateway is given the list of them all, as a
	// deployment behind a load balancer would be.
	replicas int
	// gateways is how many gateways run (default 1); s.gatewayURLs lists them.
	gateways int
	// database, when set, gives the suite its database on a PostgreSQL
	// the test controls (pgtest.Cluster) instead of the shared server.
	database func(t testing.TB) (string, *pgxpool.Pool)
	// devDefaults leaves every secret unset, so development mode fills in
	// the published development values; the test's tokens are signed with
	// them.
	devDefaults bool
}

// startSuite starts the four services (SLA and notify possibly replicated) and the
// gateway on free ports against a fresh database, and waits until all are
// healthy.
func startSuite(t testing.TB, o options) *suite {
	t.Helper()
	bin := binaries(t)
	var (
		dbURL string
		db    *pgxpool.Pool
	)
	if o.database != nil {
		dbURL, db = o.database(t)
	} else {
		dbURL, db = pgtest.NewDBURL(t, "e2e", func(ctx context.Context, pool *pgxpool.Pool) error {
			return pg.EnsurePostGIS(ctx, pool)
		})
	}
	s := &suite{t: t, db: db, procs: map[string]*proc{}, signer: auth.NewHS256Signer([]byte(secret)),
		serviceKey: []byte(serviceSecret), gatewayKey: []byte(gatewaySecret),
		ticketAddr: freePort(t), routingAddr: freePort(t), slaAddr: freePort(t), notifyAddr: freePort(t)}
	mode := []string{config.DevModeVar + "=1", "JWT_HS256_SECRET=" + secret}
	switch {
	case o.rs256 != nil:
		s.signer = auth.NewRS256Signer(o.rs256)
		s.serviceKey, s.gatewayKey = []byte(freshSecret(t)), []byte(freshSecret(t))
		mode = append(rs256Env(t, o.rs256), config.DevModeVar+"=", "JWT_HS256_SECRET=", "GBV_KEYS="+freshGBVKeys(t), "GBV_ACTIVE_KEY_ID=e2e",
			"NOTIFY_LINK_SECRET="+freshSecret(t))
	case o.oidc != nil:
		s.signer = o.oidc
		s.serviceKey, s.gatewayKey = []byte(freshSecret(t)), []byte(freshSecret(t))
		mode = append([]string{config.DevModeVar + "=", "JWT_HS256_SECRET=", "JWT_RS256_PUBLIC_KEY_FILE=",
			"OIDC_ISSUER=" + o.oidc.URL, "OIDC_AUDIENCE=" + o.oidc.Audience(),
			"GBV_KEYS=" + freshGBVKeys(t), "GBV_ACTIVE_KEY_ID=e2e",
			"NOTIFY_LINK_SECRET=" + freshSecret(t)}, o.oidcEnv...)
	case o.devDefaults:
		s.signer = auth.NewHS256Signer([]byte(config.DevJWTSecret))
		s.serviceKey, s.gatewayKey = []byte(config.DevServiceJWTSecret), []byte(config.DevGatewayJWTSecret)
		mode = []string{config.DevModeVar + "=1", "JWT_HS256_SECRET=", "GBV_KEYS="}
	}
	// Only ticket, routing and sla hold the service key; the gateway holds
	// its own key alone.
	serviceKeys := []string{"SERVICE_JWT_SECRET=" + string(s.serviceKey), "GATEWAY_JWT_SECRET=" + string(s.gatewayKey)}
	gatewayKeys := []string{"SERVICE_JWT_SECRET=", "GATEWAY_JWT_SECRET=" + string(s.gatewayKey)}
	if o.devDefaults {
		serviceKeys = []string{"SERVICE_JWT_SECRET=", "GATEWAY_JWT_SECRET="}
		gatewayKeys = serviceKeys
	}
	replicas := max(o.replicas, 1)
	// addrs are the gRPC addresses of each service's replicas that callers
	// know, the first one's first.
	addrs := map[string][]string{"ticket": {s.ticketAddr}, "routing": {s.routingAddr}, "sla": {s.slaAddr}, "notify": {s.notifyAddr}}
	for svc := range addrs {
		for range replicas - 1 {
			addrs[svc] = append(addrs[svc], freePort(t))
		}
	}
	gateways := make([]string, max(o.gateways, 1))
	for i := range gateways {
		gateways[i] = freePort(t)
		s.gatewayURLs = append(s.gatewayURLs, "http://"+gateways[i])
	}
	s.gatewayURL = s.gatewayURLs[0]
	common := append(append([]string{
		"DATABASE_URL=" + dbURL, "LOG_LEVEL=warn",
		"TICKET_ADDR=" + strings.Join(addrs["ticket"], ","), "ROUTING_ADDR=" + strings.Join(addrs["routing"], ","),
		"SLA_ADDR=" + strings.Join(addrs["sla"], ","), "NOTIFY_ADDR=" + strings.Join(addrs["notify"], ","),
		"SHUTDOWN_TIMEOUT=5s",
	}, mode...), o.extraEnv...)
	// addrOf is the address of replica i of svc: one callers know, or, for
	// replicas beyond those (slaReplicas, notifyReplicas), a port of its own.
	addrOf := func(svc string, i int) string {
		if i < len(addrs[svc]) {
			return addrs[svc][i]
		}
		return freePort(t)
	}
	replicaName := func(svc string, i int) string {
		if i == 0 {
			return svc
		}
		return fmt.Sprintf("%s-%d", svc, i)
	}
	add := func(name, bin string, env ...string) *proc {
		keys := serviceKeys
		if strings.HasPrefix(name, "gateway") {
			keys = gatewayKeys
		}
		env = append(append(append(append([]string{}, common...), keys...), env...), o.envFor[name]...)
		p := &proc{t: t, name: name, bin: bin, env: env, log: &bytes.Buffer{}}
		s.procs[name] = p
		return p
	}
	s.attachmentDir = t.TempDir()
	for i := range replicas {
		add(replicaName("ticket", i), filepath.Join(bin, "ticket"), "GRPC_ADDR="+addrOf("ticket", i), "ADMIN_ADDR="+freePort(t),
			"ATTACHMENT_DIR="+s.attachmentDir, "ATTACHMENT_SPOOL_DIR="+t.TempDir())
		add(replicaName("routing", i), filepath.Join(bin, "routing"), "GRPC_ADDR="+addrOf("routing", i), "ADMIN_ADDR="+freePort(t))
	}
	o.slaReplicas = max(o.slaReplicas, replicas)
	for i := range o.slaReplicas {
		// Replicas beyond those callers know sweep and work the queues.
		s.slaReplicas = append(s.slaReplicas, add(fmt.Sprintf("sla-%d", i), filepath.Join(bin, "sla"), "GRPC_ADDR="+addrOf("sla", i), "ADMIN_ADDR="+freePort(t)))
	}
	o.notifyReplicas = max(o.notifyReplicas, replicas)
	notifyEnv := []string{"NOTIFY_PUBLIC_URL=" + s.gatewayURL, "NOTIFY_RELEASE_INTERVAL=1s"}
	if o.messaging {
		s.mail, s.sms = startMailpit(t), startSMSFake(t)
		notifyEnv = append(append(notifyEnv, s.mail.env()...), s.sms.env()...)
	}
	for i := range o.notifyReplicas {
		s.notifyReplicas = append(s.notifyReplicas, add(fmt.Sprintf("notify-%d", i), filepath.Join(bin, "notify"),
			append([]string{"GRPC_ADDR=" + addrOf("notify", i), "ADMIN_ADDR=" + freePort(t)}, notifyEnv...)...))
	}
	for i, gw := range gateways {
		add(replicaName("gateway", i), filepath.Join(bin, "gateway"), "GATEWAY_HTTP_ADDR="+gw)
	}

	// Start the first SLA and notify replicas alone so that concurrent
	// first-time migrations are not what this test measures, then the rest.
	for _, name := range []string{"ticket", "routing", "sla-0", "notify-0"} {
		s.procs[name].start()
		s.waitHealthy(name)
	}
	var more []string
	for i := 1; i < replicas; i++ {
		more = append(more, replicaName("ticket", i), replicaName("routing", i))
	}
	for i := 1; i < len(s.slaReplicas); i++ {
		more = append(more, fmt.Sprintf("sla-%d", i))
	}
	for i := 1; i < len(s.notifyReplicas); i++ {
		more = append(more, fmt.Sprintf("notify-%d", i))
	}
	for _, name := range more {
		s.procs[name].start()
	}
	for _, name := range more {
		s.waitHealthy(name)
	}
	for i := range gateways {
		s.procs[replicaName("gateway", i)].start()
	}
	t.Cleanup(func() {
		for _, p := range s.procs {
			p.stop()
		}
		if t.Failed() {
			for name, p := range s.procs {
				t.Logf("---- %s log (tail) ----\n%s", name, tail(p.logText(), 4000))
			}
		}
	})
	for _, u := range s.gatewayURLs {
		s.waitHTTPAt(u, "/readyz")
	}
	return s
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// grpcAddr returns the gRPC address of a named process.
func (s *suite) grpcAddr(name string) string { return s.envOf(name, "GRPC_ADDR") }

// adminAddr returns the admin HTTP address (/metrics) of a named process.
func (s *suite) adminAddr(name string) string { return s.envOf(name, "ADMIN_ADDR") }

func (s *suite) envOf(name, key string) string {
	for _, e := range s.procs[name].env {
		if v, ok := strings.CutPrefix(e, key+"="); ok {
			return v
		}
	}
	s.t.Fatalf("no %s for %s", key, name)
	return ""
}

// waitHealthy waits until a process answers grpc.health.v1 with SERVING.
func (s *suite) waitHealthy(name string) {
	s.t.Helper()
	cc := s.dial(s.grpcAddr(name), "")
	hc := healthpb.NewHealthClient(cc)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		resp, err := hc.Check(ctx, &healthpb.HealthCheckRequest{})
		cancel()
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return
		}
		select {
		case <-s.procs[name].done:
			s.t.Fatalf("%s exited during start:\n%s", name, tail(s.procs[name].logText(), 4000))
		case <-time.After(200 * time.Millisecond):
		}
	}
	s.t.Fatalf("%s not healthy within 60s:\n%s", name, tail(s.procs[name].logText(), 4000))
}

// dial connects to a service, sending token (when not empty) on every call.
func (s *suite) dial(addr, token string) *grpc.ClientConn {
	s.t.Helper()
	opts := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallSendMsgSize(64 << 20))}
	if token != "" {
		opts = append(opts, grpc.WithPerRPCCredentials(auth.BearerCredentials(func() (string, error) { return token, nil })))
	}
	cc, err := grpc.NewClient(addr, opts...)
	require.NoError(s.t, err)
	s.t.Cleanup(func() { _ = cc.Close() })
	return cc
}

// token mints a token for the suite under test: a user token, or a service
// token for sub and tenant (a municipality, or "*" for all; signed with the
// service key) when roles name the service role, as only services hold that
// role.
func (s *suite) token(sub, tenant string, roles ...string) string {
	s.t.Helper()
	var (
		tok string
		err error
	)
	if slices.Contains(roles, auth.RoleService) {
		tok, err = auth.MintService(s.serviceKey, sub, tenant, time.Hour)
	} else {
		tok, err = s.signer.Mint(auth.Claims{Subject: sub, Tenant: tenant, Roles: roles}, time.Hour)
	}
	require.NoError(s.t, err)
	return tok
}

// gatewayToken mints the gateway's own token for jurisdiction tenant, as
// its Open311 facade does.
func (s *suite) gatewayToken(tenant string) string {
	s.t.Helper()
	tok, err := auth.MintGateway(s.gatewayKey, tenant, time.Hour)
	require.NoError(s.t, err)
	return tok
}

// eventually polls cond every 100ms until it holds or timeout passes.
func (s *suite) eventually(timeout time.Duration, what string, cond func() (bool, string)) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	last := ""
	for time.Now().Before(deadline) {
		ok, state := cond()
		if ok {
			return
		}
		last = state
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("%s: not within %s; last state: %s", what, timeout, last)
}
