package e2e

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/pgtest"
)

// retryableCodes are the answers a client may meet with the same request
// again later.
var retryableCodes = map[codes.Code]bool{codes.Unavailable: true, codes.ResourceExhausted: true, codes.Aborted: true, codes.DeadlineExceeded: true}

// readyz reports whether the admin port at addr says the process is ready.
func readyz(addr string) bool {
	resp, err := httpClient.Get("http://" + addr + "/readyz")
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func TestEveryServiceRidesOutADatabaseRestartUnderLoad(t *testing.T) {
	t.Parallel()
	began := time.Now()
	cluster := pgtest.StartCluster(t)
	s := startSuite(t, options{database: func(t testing.TB) (string, *pgxpool.Pool) { return cluster.NewDBURL(t, nil) }})
	s.seedCity(t, "TST")
	services := []string{"ticket", "routing", "sla-0", "notify-0"}
	pids := map[string]int{}
	for _, name := range services {
		pids[name] = s.procs[name].cmd.Process.Pid
	}
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("agent-1", "TST", "agent")))

	// Clients create tickets with idempotency keys; a retryable refusal is
	// counted and the same create sent again; anything else is a failure.
	const clients = 8
	var (
		mu        sync.Mutex
		answers   = map[string]int{}
		failures  []string
		accepted  []string
		lastOK    atomic.Int64 // unix nanoseconds of the latest accepted create
		stop      = make(chan struct{})
		wg        sync.WaitGroup
		attempted atomic.Int64
	)
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				key := fmt.Sprintf("failover-%d-%d", w, i)
				req := &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_WATER, Location: westPoint,
					Description: "failover test ticket " + key, IdempotencyKey: key}
				for give := time.Now().Add(90 * time.Second); ; {
					attempted.Add(1)
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					resp, err := tc.CreateTicket(ctx, req)
					cancel()
					code := status.Code(err)
					mu.Lock()
					answers[code.String()]++
					switch {
					case err == nil:
						accepted = append(accepted, resp.GetTicket().GetId())
						lastOK.Store(time.Now().UnixNano())
					case !retryableCodes[code] || time.Now().After(give):
						failures = append(failures, fmt.Sprintf("%s: %v", key, err))
					}
					mu.Unlock()
					if err == nil || !retryableCodes[code] || time.Now().After(give) {
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		}()
	}
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(accepted)
	}
	s.eventually(60*time.Second, "creates under way", func() (bool, string) { return count() >= 100, fmt.Sprint(count()) })

	// The database goes away for about 5 seconds.
	require.NoError(t, cluster.Stop())
	stoppedAt := time.Now()
	before := count()
	s.eventually(5*time.Second, "every service not ready while the database is away", func() (bool, string) {
		var ready []string
		for _, name := range services {
			if readyz(s.adminAddr(name)) {
				ready = append(ready, name)
			}
		}
		return len(ready) == 0, "still ready: " + strings.Join(ready, ", ")
	})
	time.Sleep(time.Until(stoppedAt.Add(5 * time.Second)))
	for _, name := range services {
		require.False(t, readyz(s.adminAddr(name)), "%s not ready until the database is back", name)
	}
	during := count() - before
	require.NoError(t, cluster.Start())
	back := time.Now()

	// Within 10 s every service is ready again, creates are accepted and
	// deliveries flow, with no process restarted.
	routedAtReturn := s.countRow(`select count(*) from routing.assignments`)
	var readyIn, createIn, deliverIn time.Duration
	s.eventually(10*time.Second, "every service ready, creating and delivering again", func() (bool, string) {
		if readyIn == 0 {
			ok := true
			for _, name := range services {
				ok = ok && readyz(s.adminAddr(name))
			}
			if ok {
				readyIn = time.Since(back)
			}
		}
		if createIn == 0 && lastOK.Load() > back.UnixNano() {
			createIn = time.Since(back)
		}
		if deliverIn == 0 {
			var n int
			if err := s.db.QueryRow(context.Background(), `select count(*) from routing.assignments`).Scan(&n); err == nil && n > routedAtReturn {
				deliverIn = time.Since(back)
			}
		}
		return readyIn > 0 && createIn > 0 && deliverIn > 0, fmt.Sprintf("ready after %s, create after %s, delivery after %s", readyIn, createIn, deliverIn)
	})
	time.Sleep(3 * time.Second)
	close(stop)
	wg.Wait()
	for _, name := range services {
		select {
		case <-s.procs[name].done:
			t.Fatalf("%s exited:\n%s", name, tail(s.procs[name].logText(), 3000))
		default:
		}
		require.Equal(t, pids[name], s.procs[name].cmd.Process.Pid, "%s was not restarted", name)
	}
	require.Empty(t, failures, "every refusal was retryable and every create accepted in the end")

	// Nothing accepted is lost, and the pipeline drains.
	total := len(accepted)
	var found int
	require.NoError(t, s.db.QueryRow(context.Background(), `select count(*) from ticket.tickets where id = any($1::uuid[])`, accepted).Scan(&found))
	require.Equal(t, total, found, "accepted tickets kept")
	require.Equal(t, total, s.countRow(`select count(*) from ticket.tickets`), "one ticket per key")
	s.eventually(2*time.Minute, "routed, clocked and known to notify", func() (bool, string) {
		routed := s.countRow(`select count(distinct ticket_id) from routing.assignments where is_current`)
		clocked := s.countRow(`select count(distinct ticket_id) from sla.clocks`)
		known := s.countRow(`select count(*) from notify.tickets`)
		return routed == total && clocked == total && known == total, fmt.Sprintf("routed=%d clocked=%d notify=%d of %d", routed, clocked, known, total)
	})
	var codesSeen []string
	for c, n := range answers {
		codesSeen = append(codesSeen, fmt.Sprintf("%s=%d", c, n))
	}
	sort.Strings(codesSeen)
	line := fmt.Sprintf("failover: database stopped for 5 s under %d clients; %d requests answered %s; %d tickets accepted (%d while it was away), 0 lost; "+
		"/readyz false on all 4 services while away; ready %s, creating %s and delivering %s after it returned, no process restarted; %s in all",
		clients, attempted.Load(), strings.Join(codesSeen, " "), total, during, readyIn.Round(time.Millisecond), createIn.Round(time.Millisecond),
		deliverIn.Round(time.Millisecond), time.Since(began).Round(time.Second))
	t.Log(line)
	fmt.Println(line)
}
