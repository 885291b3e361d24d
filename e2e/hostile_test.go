package e2e

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// hostileEnv turns the gateway's rate limits off: the suites send hundreds of
// requests from a few subjects, and a 429 would hide the answer under test.
var hostileEnv = []string{"GATEWAY_TENANT_RATE=0", "GATEWAY_CLIENT_RATE=0"}

// tally counts hostile requests and those the suite accepted when it should
// not have, and prints the count so CI logs show what was tried.
type tally struct {
	mu       sync.Mutex
	tried    int
	accepted int
}

// serverFault reports gRPC codes that mean the server failed rather than
// refused: a hostile request must never cause one.
func serverFault(c codes.Code) bool {
	switch c {
	case codes.Internal, codes.Unknown, codes.Unavailable, codes.DataLoss, codes.Unimplemented, codes.DeadlineExceeded:
		return true
	}
	return false
}

// grpc records a gRPC attempt that must be refused with one of want.
func (ty *tally) grpc(t *testing.T, what string, err error, want ...codes.Code) {
	t.Helper()
	c := status.Code(err)
	ty.mu.Lock()
	ty.tried++
	if err == nil {
		ty.accepted++
	}
	ty.mu.Unlock()
	require.Error(t, err, "%s was accepted", what)
	require.False(t, serverFault(c), "%s: server fault %v", what, err)
	require.Contains(t, want, c, "%s: %v", what, err)
}

// http records a gateway attempt that must be refused with one of want.
func (ty *tally) http(t *testing.T, what string, code int, body map[string]any, want ...int) {
	t.Helper()
	ty.mu.Lock()
	ty.tried++
	if code < 400 {
		ty.accepted++
	}
	ty.mu.Unlock()
	require.Less(t, code, 500, "%s: server fault %v", what, body)
	require.Contains(t, want, code, "%s: %v", what, body)
}

// hidden records a read that is allowed to succeed but must not reveal
// secret (an id or a piece of protected text) in its answer.
func (ty *tally) hidden(t *testing.T, what string, answer any, secrets ...string) {
	t.Helper()
	raw := fmt.Sprint(answer)
	if b, err := json.Marshal(answer); err == nil {
		raw += string(b)
	}
	leaked := slices.ContainsFunc(secrets, func(s string) bool { return strings.Contains(raw, s) })
	ty.mu.Lock()
	ty.tried++
	if leaked {
		ty.accepted++
	}
	ty.mu.Unlock()
	require.False(t, leaked, "%s revealed one of %v: %s", what, secrets, raw)
}

// refused records an attempt checked by the caller: refused says whether
// it was kept out.
func (ty *tally) refused(t *testing.T, what string, refused bool) {
	t.Helper()
	ty.mu.Lock()
	ty.tried++
	if !refused {
		ty.accepted++
	}
	ty.mu.Unlock()
	require.True(t, refused, "%s was not refused", what)
}

// report logs and prints the summary line and returns it.
func (ty *tally) report(t *testing.T, suite string, changed int) string {
	t.Helper()
	ty.mu.Lock()
	defer ty.mu.Unlock()
	line := fmt.Sprintf("%s: %d hostile requests, %d accepted, %d data changed", suite, ty.tried, ty.accepted, changed)
	t.Log(line)
	fmt.Println(line)
	return line
}

// snapshot returns a row count and checksum of every table of the three
// service schemas, keyed by table. River's own tables are left out: leader
// election and job bookkeeping update them on a timer, whatever callers do.
// So is the GBV access log: a SAPS liaison's legitimate read appends to it
// by design, and the suites read as SAPS to prove the data is there.
func (s *suite) snapshot(t *testing.T) map[string]string {
	t.Helper()
	ctx := context.Background()
	s.waitDeliveriesIdle(t)
	rows, err := s.db.Query(ctx, `SELECT table_schema || '.' || table_name FROM information_schema.tables
		WHERE table_schema IN ('ticket', 'routing', 'sla', 'notify') AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'river%'
		AND (table_schema, table_name) <> ('ticket', 'gbv_access_log')
		ORDER BY 1`)
	require.NoError(t, err)
	var tables []string
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	require.NoError(t, rows.Err())
	require.Contains(t, tables, "ticket.tickets")
	out := map[string]string{}
	for _, tbl := range tables {
		var n int64
		var sum string
		err := s.db.QueryRow(ctx, `SELECT count(*), coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM `+tbl+` t`).Scan(&n, &sum)
		require.NoError(t, err, tbl)
		out[tbl] = fmt.Sprintf("%d/%s", n, sum)
	}
	return out
}

// waitDeliveriesIdle waits until every delivery between the services is done
// and notify has planned every event it heard of, so a snapshot sees no
// delivery in flight: a job of ticket, routing or SLA waiting for its
// worker, or for its retry, would change its peer's tables later.
// (Notify's channels without a provider keep their messages queued,
// changing nothing more; jobs scheduled beyond a minute, such as periodic
// reports, are not deliveries in flight.)
func (s *suite) waitDeliveriesIdle(t *testing.T) {
	t.Helper()
	queues := "'plan', 'webhook'"
	if s.mail != nil {
		queues += ", 'email', 'sms'"
	}
	const pending = `state NOT IN ('completed', 'discarded', 'cancelled') AND (state <> 'scheduled' OR scheduled_at < now() + interval '1 minute')`
	s.eventually(60*time.Second, "deliveries idle", func() (bool, string) {
		var waiting []string
		for _, schema := range []string{"ticket", "routing", "sla"} {
			if n := s.countRow(`SELECT count(*) FROM ` + schema + `.river_job WHERE ` + pending); n > 0 {
				waiting = append(waiting, fmt.Sprintf("%s: %d jobs", schema, n))
			}
		}
		if n := s.countRow(`SELECT count(*) FROM notify.river_job WHERE queue IN (` + queues + `) AND ` + pending); n > 0 {
			waiting = append(waiting, fmt.Sprintf("notify: %d jobs", n))
		}
		// SLA folds its report deltas into the cells every second, apart
		// from any delivery.
		if n := s.countRow(`SELECT count(*) FROM sla.report_deltas`); n > 0 {
			waiting = append(waiting, fmt.Sprintf("sla: %d report deltas to fold", n))
		}
		return len(waiting) == 0, strings.Join(waiting, ", ")
	})
}

// changedTables lists the tables whose snapshot differs.
func changedTables(before, after map[string]string) []string {
	var out []string
	for k, v := range before {
		if after[k] != v {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// rawToken signs claims as a JWT with alg and secret, or leaves the signature
// empty for alg "none": the tokens an attacker would forge.
func rawToken(alg, secret string, claims map[string]any) string {
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(map[string]string{"alg": alg, "typ": "JWT"})
	c, _ := json.Marshal(claims)
	signing := enc.EncodeToString(h) + "." + enc.EncodeToString(c)
	if alg == "none" {
		return signing + "."
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(mac.Sum(nil))
}
