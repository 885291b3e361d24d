package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// benchPipeline measures goal 4: tickets are created as fast as 16 clients
// can, and the clock runs until every one of them shows its team and both
// SLA deadlines (routed by routing, clocked by SLA, both mirrored back onto
// the ticket). The pipeline keeps up when it drains at least half as fast as
// tickets arrive.
func benchPipeline(b *testing.B, s *suite, r *benchReport) {
	const tenant = "PIP"
	s.seedCity(b, tenant)
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("bench-agent", tenant, "agent")))
	n := scaled(10000, 200)
	// Two runs: one drain of 10,000 tickets takes about two minutes on two
	// cores, and the whole of make bench must stay under fifteen.
	runs := min(2, r.Runs)
	var createRates, drainRates, drainSecs, ratios, commits, cpu, idleCommits, idleCPU []float64
	for run := range runs {
		s.waitDelivered(tenant, 10*time.Minute)
		// What the idle suite commits and spends (River's polling) is
		// measured first and taken off what the run cost.
		idle := s.usage(b)
		time.Sleep(3 * time.Second)
		before := s.usage(b)
		commitRate, cpuRate := before.ratesSince(idle)
		start := time.Now()
		profiled := func() {}
		var statements func() statementProfile
		if run == 0 {
			profiled = s.profileDuring(b, "pipeline", 30, "ticket", "routing", "sla-0", "notify-0")
			statements, _ = s.startStatementProfile(b)
		}
		took, _, err := loadRun(n, 16, grpcCreates(tc))
		if err != nil {
			b.Fatalf("pipeline creates: %v", err)
		}
		done := s.waitDelivered(tenant, 10*time.Minute)
		all := done.Sub(start)
		after := s.usage(b)
		profiled()
		if statements != nil {
			reportStatements(b, r, statements(), n)
		}
		secs := after.at.Sub(before.at).Seconds()
		commits = append(commits, (float64(after.commits-before.commits)-commitRate*secs)/float64(n))
		cpu = append(cpu, ((after.cpu-before.cpu).Seconds()-cpuRate*secs)*1000/float64(n))
		idleCommits, idleCPU = append(idleCommits, commitRate), append(idleCPU, cpuRate*1000)
		createRates = append(createRates, perSecond(n, took))
		drainRates = append(drainRates, perSecond(n, all))
		drainSecs = append(drainSecs, all.Seconds())
		ratios = append(ratios, perSecond(n, all)/perSecond(n, took))
	}
	r.add("4 pipeline", "create rate, 16 gRPC clients", "tickets/s", spreadOf(createRates))
	r.ratioRow("4 pipeline", "create rate with deliveries running", createRates, 16)
	r.add("4 pipeline", "time from first create until all routed and clocked", "s", spreadOf(drainSecs))
	r.add("4 pipeline", "drain rate (tickets / that time)", "tickets/s", spreadOf(drainRates))
	r.ratioRow("4 pipeline", "drain rate", drainRates, 16)
	r.add("4 pipeline", "commits per ticket (the suite's database, less the idle suite's rate)", "commits", spreadOf(commits))
	r.add("4 pipeline", "CPU of the suite's processes per ticket (less the idle rate; Postgres not included)", "ms", spreadOf(cpu))
	r.add("4 pipeline", "idle suite: commits per second (River's polling)", "commits/s", spreadOf(idleCommits))
	r.add("4 pipeline", "idle suite: CPU of its processes per second", "ms/s", spreadOf(idleCPU))
	drain := spreadOf(drainRates).Median
	r.goal("4: pipeline drain rate / create rate", spreadOf(ratios).Median, true, 0.5)
	r.mu.Lock()
	isolated := r.isolatedCreate
	r.mu.Unlock()
	if isolated > 0 {
		r.goal("4: pipeline drain rate / isolated create rate (section 1, 16 clients)", drain/isolated, true, 0.7)
	}
	r.goal("4: pipeline drain rate, tickets/s end to end", drain, true, 1000)
	r.note("Pipeline: %d tickets per run, %d runs; done means the ticket shows its team and both SLA deadlines (polled every 250 ms).", n, runs)
}

// usage is what the suite had committed and spent at a time.
type usage struct {
	at      time.Time
	commits int64
	cpu     time.Duration
}

// ratesSince are the commits and CPU seconds per second from u0 to u.
func (u usage) ratesSince(u0 usage) (commits, cpu float64) {
	secs := u.at.Sub(u0.at).Seconds()
	return float64(u.commits-u0.commits) / secs, (u.cpu - u0.cpu).Seconds() / secs
}

// usage reads how many transactions the suite's database has committed
// (pg_stat_database, read after the statistics of finished transactions
// have been flushed) and the CPU its processes used.
func (s *suite) usage(b *testing.B) usage {
	time.Sleep(1500 * time.Millisecond)
	u := usage{at: time.Now(), cpu: s.serviceCPU()}
	err := s.db.QueryRow(context.Background(), `SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`).Scan(&u.commits)
	if err != nil {
		b.Fatalf("commits: %v", err)
	}
	return u
}

// serviceCPU is the CPU time the suite's processes have used so far
// (user and system, /proc/<pid>/stat, in clock ticks of 10 ms).
func (s *suite) serviceCPU() time.Duration {
	var ticks int64
	for _, p := range s.procs {
		p.mu.Lock()
		cmd := p.cmd
		p.mu.Unlock()
		if cmd == nil || cmd.Process == nil {
			continue
		}
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", cmd.Process.Pid))
		if err != nil {
			continue
		}
		// The fields after the command's name, which is in parentheses:
		// utime and stime are the 12th and 13th.
		f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
		if len(f) > 12 {
			u, _ := strconv.ParseInt(f[11], 10, 64)
			st, _ := strconv.ParseInt(f[12], 10, 64)
			ticks += u + st
		}
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// reportStatements adds the first pipeline run's statement profile to the
// report: the database's statements and execution time per ticket, the
// five costliest statements in a note, and the whole table in
// pipeline-statements.md beside the report.
func reportStatements(b *testing.B, r *benchReport, p statementProfile, n int) {
	r.add("4 pipeline", "statements per ticket in the suite's database (pg_stat_statements, first run; COMMIT counts as one)", "statements", spreadOf([]float64{float64(p.Calls) / float64(n)}))
	r.add("4 pipeline", "statement execution time per ticket (pg_stat_statements, first run; commit flushes included)", "ms", spreadOf([]float64{p.TotalMS / float64(n)}))
	path, err := writeStatementProfile("pipeline", p, fmt.Sprintf("Statements of the first pipeline run (%d tickets), costliest first.", n))
	if err != nil {
		b.Fatalf("statements: %v", err)
	}
	var top []string
	for _, row := range p.Rows[:min(5, len(p.Rows))] {
		q := row.Query
		if len(q) > 90 {
			q = q[:90] + "…"
		}
		top = append(top, fmt.Sprintf("%.1f%% `%s` (%d calls, %.2f ms mean)", 100*row.TotalMS/p.TotalMS, q, row.Calls, row.MeanMS))
	}
	r.note("Pipeline statements (pg_stat_statements over the first run, %s): %s.", filepath.Base(path), strings.Join(top, "; "))
}
