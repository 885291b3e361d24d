package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/pgtest"
)

// envInt reads a whole number from the environment, or def.
func envInt(t testing.TB, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	require.NoError(t, err, name)
	require.Positive(t, n, name)
	return n
}

// creator creates tickets through a set of gateways as an outside client
// would: each create carries an Idempotency-Key, and one refused as
// unavailable (503, 504, a gateway gone) is sent again with the same key,
// to the next gateway.
type creator struct {
	urls  []string
	token string
	http  *http.Client
	next  atomic.Int64
	// retries counts the creates sent again.
	retries atomic.Int64
	// resent counts why they were: an HTTP status, or "no answer" when
	// the gateway died or closed the connection.
	mu     sync.Mutex
	resent map[string]int
}

// resend records why a create is sent again.
func (c *creator) resend(why string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.resent == nil {
		c.resent = map[string]int{}
	}
	c.resent[why]++
}

// resentFor says why creates were sent again, and how often.
func (c *creator) resentFor() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for why, n := range c.resent {
		out = append(out, fmt.Sprintf("%s: %d", why, n))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// retryable reports whether an answer asks the client to try again.
func retryable(code int) bool {
	return code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout ||
		code == http.StatusTooManyRequests || code == http.StatusBadGateway
}

// create sends body with key until a gateway accepts it, within timeout,
// and returns the ticket's id; any other answer is an error.
func (c *creator) create(key, body string, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	var last string
	for attempt := 0; time.Now().Before(deadline); attempt++ {
		if attempt > 0 {
			c.retries.Add(1)
			time.Sleep(time.Duration(min(50*attempt, 500)) * time.Millisecond)
		}
		url := c.urls[int(c.next.Add(1))%len(c.urls)]
		req, err := http.NewRequest(http.MethodPost, url+"/v1/tickets", strings.NewReader(body))
		if err != nil {
			return "", err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Idempotency-Key", key)
		resp, err := c.http.Do(req)
		if err != nil {
			last = err.Error() // the gateway died or is stopping: the key makes a resend safe
			c.resend("no answer")
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if retryable(resp.StatusCode) {
			last = fmt.Sprintf("%d %s", resp.StatusCode, b)
			c.resend(strconv.Itoa(resp.StatusCode))
			continue
		}
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("create %s: %d %s", key, resp.StatusCode, b)
		}
		var out struct {
			Ticket struct {
				ID string `json:"id"`
			} `json:"ticket"`
		}
		if err := json.Unmarshal(b, &out); err != nil || out.Ticket.ID == "" {
			return "", fmt.Errorf("create %s: answer %s: %v", key, b, err)
		}
		return out.Ticket.ID, nil
	}
	return "", fmt.Errorf("create %s: not accepted within %s: %s", key, timeout, last)
}

// restart ends a process, by SIGKILL as a crash would or by SIGTERM as a
// rolling update does, and starts it again. A SIGTERM must end the
// process cleanly within its SHUTDOWN_TIMEOUT (5 s here) and a margin.
func (p *proc) restart(t *testing.T, sig syscall.Signal) {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	start := time.Now()
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Errorf("%s did not stop within 15 s of %s", p.name, sig)
		_ = cmd.Process.Kill()
		<-done
	}
	if sig == syscall.SIGTERM {
		if code := cmd.ProcessState.ExitCode(); code != 0 {
			t.Errorf("%s exited %d after SIGTERM (took %s):\n%s", p.name, code, time.Since(start), tail(p.logText(), 2000))
		}
	}
	time.Sleep(500 * time.Millisecond)
	p.start()
}

// counts runs q, which selects one row of whole numbers, and returns them.
func (s *suite) counts(q string) []int {
	s.t.Helper()
	rows, err := s.db.Query(context.Background(), q)
	require.NoError(s.t, err, q)
	out, err := pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) ([]int, error) {
		vals, err := r.Values()
		if err != nil {
			return nil, err
		}
		n := make([]int, len(vals))
		for i, v := range vals {
			n[i] = int(v.(int64))
		}
		return n, nil
	})
	require.NoError(s.t, err, q)
	return out
}

// spreadPoint is ticket i's place: west or east of the teams' split as i
// is even or odd, anywhere in that half of the city, as reports come in.
func spreadPoint(i int) (lat, lng float64) {
	r := rand.New(rand.NewPCG(uint64(i), 20))
	const margin = 0.005
	lat = cityMinLat + margin + r.Float64()*(cityMaxLat-cityMinLat-2*margin)
	lng = cityMinLng + margin + r.Float64()*(splitLng-cityMinLng-2*margin)
	if i%2 == 1 {
		lng += splitLng - cityMinLng
	}
	return lat, lng
}

func TestNothingIsLostOrDoneTwiceWhileReplicasAreKilledAndRestarted(t *testing.T) {
	t.Parallel()
	began := time.Now()
	total := envInt(t, "E2E_REPLICA_TICKETS", 5000)
	// Each client waits for its create's commit; enough of them keep
	// every replica busy while one or two are down.
	const clients = 32
	binaries(t)
	builtIn := time.Since(began)
	// Fourteen processes with pools of their own: a PostgreSQL of the
	// test's own, so that the connections of other tests on the shared
	// server do not count against them.
	cluster := pgtest.StartCluster(t)
	s := startSuite(t, options{replicas: 3, gateways: 2, database: func(t testing.TB) (string, *pgxpool.Pool) { return cluster.NewDBURL(t, nil) }, extraEnv: []string{
		"SLA_SWEEP_INTERVAL=1s", "GATEWAY_TENANT_RATE=0", "GATEWAY_CLIENT_RATE=0", "NOTIFY_RELEASE_INTERVAL=1s",
	}})
	s.seedCity(t, "TST")
	s.setStaffContact(t, "TST", "mgr-Roads", "roads-manager@tst.test")
	ctx := context.Background()
	// Roads tickets get a tiny SLA, so warnings, breaches, escalations and
	// the messages about them happen while replicas die.
	_, err := slav1.NewSlaServiceClient(s.dial(s.slaAddr, s.token("platform-1", "TST", "platform_admin"))).CreateSlaConfig(ctx,
		&slav1.CreateSlaConfigRequest{Config: &slav1.SlaConfig{Municipality: "TST", Category: commonv1.Category_CATEGORY_ROADS,
			ResponseHours: 2.0 / 3600, ResolutionHours: 4.0 / 3600, WarningThresholdPct: 50}})
	require.NoError(t, err)
	startedIn := time.Since(began)
	t.Logf("replicas: binaries built (or found up to date) in %s, %d processes started and the city seeded %s later",
		builtIn.Round(time.Millisecond), len(s.procs), (startedIn - builtIn).Round(time.Millisecond))
	started := time.Now()

	c := &creator{urls: s.gatewayURLs, token: s.token("agent-1", "TST", "agent"),
		http: &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}}
	var (
		mu       sync.Mutex
		accepted = map[string]string{} // idempotency key -> ticket id
		failures []string
		wg       sync.WaitGroup
		done     atomic.Int64
	)
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < total; i += clients {
				cat := "CATEGORY_WATER"
				if i%50 == 0 {
					cat = "CATEGORY_ROADS"
				}
				reporter := ""
				if i%10 == 0 {
					reporter = fmt.Sprintf(`,"reporter":{"name":"Resident %d","email":"resident%d@tst.test"}`, i, i)
				}
				lat, lng := spreadPoint(i)
				key := fmt.Sprintf("replicas-%d", i)
				body := fmt.Sprintf(`{"category":%q,"description":"replica test ticket %d","location":{"latitude":%v,"longitude":%v}%s}`,
					cat, i, lat, lng, reporter)
				id, err := c.create(key, body, 90*time.Second)
				mu.Lock()
				if err != nil {
					failures = append(failures, err.Error())
				} else {
					accepted[key] = id
				}
				mu.Unlock()
				done.Add(1)
			}
		}()
	}
	created := make(chan struct{})
	go func() { wg.Wait(); close(created) }()

	// While tickets pour in, end one process at a time, any replica of any
	// service or a gateway: by SIGKILL, or by SIGTERM (a rolling update),
	// then start it again and wait until it serves before the next.
	var victims []string
	for name := range s.procs {
		victims = append(victims, name)
	}
	every := time.Duration(envInt(t, "E2E_REPLICA_KILL_EVERY_MS", 2000)) * time.Millisecond
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 20))
	killed, termed := 0, 0
kills:
	for !t.Failed() {
		select {
		case <-created:
			break kills
		case <-time.After(every):
		}
		name := victims[rng.IntN(len(victims))]
		sig := syscall.SIGKILL
		if rng.IntN(3) == 0 {
			sig, termed = syscall.SIGTERM, termed+1
		} else {
			killed++
		}
		at, n := time.Now(), done.Load()
		s.procs[name].restart(t, sig)
		if strings.HasPrefix(name, "gateway") {
			s.waitHTTPAt("http://"+s.envOf(name, "GATEWAY_HTTP_ADDR"), "/readyz")
		} else {
			s.waitHealthy(name)
		}
		t.Logf("replicas: %s %s at %s (%d created), serving again in %s", sig, name, at.Sub(started).Round(time.Millisecond), n,
			time.Since(at).Round(time.Millisecond))
	}
	<-created
	createdIn := time.Since(started)
	t.Logf("replicas: %d created in %s (%.0f a second) by %d clients; %d resent (%s)", total, createdIn.Round(time.Millisecond),
		float64(total)/createdIn.Seconds(), clients, c.retries.Load(), c.resentFor())
	require.Empty(t, failures, "every create is accepted in the end, every refusal on the way retryable")
	require.Len(t, accepted, total)

	// Nothing accepted is lost, and no retry made a second ticket.
	ids := make([]string, 0, total)
	for _, id := range accepted {
		ids = append(ids, id)
	}
	var found, all int
	require.NoError(t, s.db.QueryRow(ctx, `select count(*) filter (where id = any($1::uuid[])), count(*) from ticket.tickets`, ids).Scan(&found, &all))
	require.Equal(t, total, found, "accepted tickets in the ticket service")
	require.Equal(t, total, all, "one ticket per idempotency key")

	// The pipeline drains: every ticket routed, clocked, mirrored, known
	// to notify; every roads ticket's two clocks warned once and breached
	// at each of their three steps (sla's MaxBreachSteps), every breach
	// escalated and every clock event told to notify.
	drainStart := time.Now()
	roads := (total + 49) / 50
	first := true
	s.eventually(4*time.Minute, "pipeline drained", func() (bool, string) {
		n := s.counts(`select
			(select count(distinct ticket_id) from routing.assignments where is_current),
			(select count(distinct ticket_id) from sla.clocks),
			(select count(*) from ticket.tickets where assigned_team_id is not null and resolution_deadline is not null),
			(select count(*) from notify.tickets),
			(select count(*) from sla.clock_events where kind = 'breach' and escalation_level > 0),
			(select count(*) from sla.clock_events where kind = 'warning'),
			(select count(*) from routing.assignments where reason = 'sla_breach'),
			(select count(*) from sla.clock_events),
			(select count(*) from notify.events where id in (select event_id from sla.clock_events))`)
		routed, clocked, mirrored, known, breaches, warnings, escalations, events, told := n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8]
		state := fmt.Sprintf("routed=%d clocked=%d mirrored=%d notify=%d of %d; warnings=%d breaches=%d escalations=%d; clock events=%d told=%d",
			routed, clocked, mirrored, known, total, warnings, breaches, escalations, events, told)
		if first {
			t.Logf("replicas: when the last create was answered: %s", state)
			first = false
		}
		// Each roads ticket warns and breaches within seconds.
		return routed == total && clocked == total && mirrored == total && known == total &&
			warnings == 2*roads && breaches == 6*roads && escalations == breaches && told == events, state
	})
	drainedIn := time.Since(drainStart)

	// Nothing happened twice: each check counts what would be a second time.
	verifyStart := time.Now()
	twice := []struct{ what, q string }{
		{"a ticket with more than one current assignment",
			`select ticket_id from routing.assignments where is_current group by ticket_id having count(*) > 1`},
		{"a ticket routed twice",
			`select ticket_id from routing.assignments where reason in ('geospatial_routing', 'fallback_nearest', 'triage') group by ticket_id having count(*) > 1`},
		{"an escalation made twice",
			`select ticket_id, escalation_level from routing.assignments where reason = 'sla_breach' group by 1, 2 having count(*) > 1`},
		{"a second set of clocks", `select ticket_id from sla.clocks where cycle = 1 group by ticket_id having count(*) <> 2`},
		{"a warning or breach recorded twice",
			`select ticket_id, clock_kind, cycle, kind, level from sla.clock_events group by 1, 2, 3, 4, 5 having count(*) > 1`},
		{"a warning or breach on a ticket's history twice",
			`select event_id from ticket.history where kind in ('sla_warning', 'sla_breach') group by event_id having count(*) > 1`},
		{"a ticket event told to notify twice",
			`select ticket_id, kind, sequence from notify.events where kind = 'created' group by 1, 2, 3 having count(*) > 1`},
		{"a message made twice",
			`select ticket_id, event_id, recipient, recipient_id, channel from notify.messages where event_id is not null group by 1, 2, 3, 4, 5 having count(*) > 1`},
	}
	var q strings.Builder
	q.WriteString("select ")
	for i, c := range twice {
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "(select count(*) from (%s) d)", c.q)
	}
	q.WriteString(`, (select count(*) from notify.events where kind = 'created'),
		(select count(*) from sla.clock_events where kind = 'warning'),
		(select count(*) from sla.clock_events where kind = 'breach'),
		(select count(*) from routing.assignments where reason = 'sla_breach'),
		(select count(*) from notify.messages)`)
	n := s.counts(q.String())
	for i, c := range twice {
		require.Zero(t, n[i], c.what)
	}
	n = n[len(twice):]
	createdEvents, warnings, breaches, escalations, messages := n[0], n[1], n[2], n[3], n[4]
	require.Equal(t, total, createdEvents, "one created event per ticket in notify")
	require.Positive(t, warnings)
	require.Positive(t, messages)
	verifiedIn := time.Since(verifyStart)

	line := fmt.Sprintf("replicas: %d tickets through 2 gateways to 3 replicas each of ticket, routing, sla and notify; "+
		"%d processes SIGKILLed and %d SIGTERMed and restarted; %d creates resent; %d accepted, 0 lost, 0 duplicated; "+
		"each ticket 1 current assignment and 1 set of clocks; %d warnings, %d breaches, %d escalations, %d messages, none twice; "+
		"started in %s, created in %s (%.0f/s), drained %s later, verified in %s, %s in all",
		total, killed, termed, c.retries.Load(), len(accepted), warnings, breaches, escalations, messages,
		startedIn.Round(time.Second), createdIn.Round(time.Second), float64(total)/createdIn.Seconds(), drainedIn.Round(time.Second),
		verifiedIn.Round(time.Millisecond), time.Since(began).Round(time.Second))
	t.Log(line)
	fmt.Println(line)
}
