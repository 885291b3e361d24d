package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// The console's budgets (issue 16): JS and CSS of the first view under 300
// KB gzipped, and the time until a queue of 50 tickets can be worked.
const (
	consoleBudgetKB = 300
	consoleRows     = 50
)

// firstView is what web/console/test/bench/first-view.mjs prints.
type firstView struct {
	URL  string `json:"url"`
	Runs []struct {
		FormMS    float64 `json:"form_ms"`
		RowsMS    float64 `json:"rows_ms"`
		RowsShown int     `json:"rows_shown"`
		Assets    []struct {
			URL    string `json:"url"`
			Type   string `json:"type"`
			Served int    `json:"served"`
			Gzip   int    `json:"gzip"`
		} `json:"assets"`
	} `json:"runs"`
}

// benchConsole measures the console as a browser loads it: a team's queue
// of 60 open tickets (50 on its first page), opened in Debian's chromium
// with an empty cache, signed in through the development sign-in as soon
// as the form shows. It needs the console built into the gateway (make
// console, which scripts/bench.sh runs first), the console's npm packages
// and chromium (CHROMIUM_PATH).
func benchConsole(b *testing.B, r *benchReport) {
	s := startSuite(b, options{})
	requireBuiltConsole(b, s)
	const tenant = "TST"
	teams := s.seedCity(b, tenant)
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("bench-agent", tenant, "agent")))
	ctx := context.Background()
	for i := range consoleRows + 10 {
		_, err := tc.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_WATER,
			Description: fmt.Sprintf("Burst pipe %d, bench queue", i), Address: "Bench street",
			Location: &commonv1.LatLng{Latitude: -33.95 + float64(i%10)*0.01, Longitude: 18.41 + float64(i/10)*0.01}})
		if err != nil {
			b.Fatalf("create ticket %d: %v", i, err)
		}
	}
	s.eventually(2*time.Minute, "the queue's tickets routed", func() (bool, string) {
		resp, err := tc.ListTickets(ctx, &ticketv1.ListTicketsRequest{AssignedTeamId: teams.westWater, PageSize: consoleRows,
			Statuses: []commonv1.TicketStatus{commonv1.TicketStatus_TICKET_STATUS_OPEN}})
		if err != nil {
			return false, err.Error()
		}
		return len(resp.GetTickets()) == consoleRows, fmt.Sprintf("%d routed", len(resp.GetTickets()))
	})

	runs := max(5, r.Runs)
	view := runFirstView(b, s, "/console/queues/team?team="+teams.westWater, tenant, runs)
	var served, gzipped, form, rows []float64
	var files []string
	for _, run := range view.Runs {
		if run.RowsShown != consoleRows {
			b.Fatalf("the queue shows %d rows, not %d", run.RowsShown, consoleRows)
		}
		var raw, gz int
		files = files[:0]
		for _, a := range run.Assets {
			raw, gz = raw+a.Served, gz+a.Gzip
			files = append(files, fmt.Sprintf("%s %.1f KB", filepath.Base(a.URL), float64(a.Gzip)/1024))
		}
		served, gzipped = append(served, float64(raw)/1024), append(gzipped, float64(gz)/1024)
		form, rows = append(form, run.FormMS), append(rows, run.RowsMS)
	}
	const section = "8 console"
	r.add(section, "JS+CSS of the first view, transferred (the gateway gzips them)", "KB", spreadOf(served))
	r.add(section, "JS+CSS of the first view, gzipped at the default level (cross-check)", "KB", spreadOf(gzipped))
	r.add(section, "navigation to the sign-in form", "ms", spreadOf(form))
	r.add(section, fmt.Sprintf("navigation to a queue of %d tickets, signed in on the way", consoleRows), "ms", spreadOf(rows))
	r.goal(fmt.Sprintf("8: console JS+CSS of the first view, transferred / %d KB budget", consoleBudgetKB), ratio(spreadOf(served).Median, consoleBudgetKB), false, 1)
	r.note("Console: %d runs in Debian's chromium, each with an empty cache, opening %s (a team queue of %d open tickets, %d on its first page) and signing in through the development sign-in as soon as the form shows; times from the page's navigation start (performance.now()). The first view loads %s (gzipped at the default level); the transferred size is what the browser received, as the gateway sends its text files gzipped. No target is set for the time.",
		runs, strings.Replace(strings.TrimPrefix(view.URL, s.gatewayURL), teams.westWater, "{id}", 1), consoleRows+10, consoleRows, strings.Join(files, ", "))
}

// requireBuiltConsole stops the section when the gateway carries only the
// placeholder page: there would be nothing to measure.
func requireBuiltConsole(b *testing.B, s *suite) {
	resp, err := httpClient.Get(s.gatewayURL + "/console/")
	if err != nil {
		b.Fatalf("GET /console/: %v", err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.Contains(page, []byte("/console/assets/main-")) {
		b.Fatalf("the gateway was built without the console: run make console before the bench (scripts/bench.sh does)")
	}
}

// runFirstView runs the browser script against the suite and decodes its
// answer.
func runFirstView(b *testing.B, s *suite, path, tenant string, runs int) firstView {
	dir := filepath.Join(benchRepoRoot(), "web", "console")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "test/bench/first-view.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CONSOLE_URL="+s.gatewayURL, "BENCH_PATH="+path, "BENCH_ROLE=agent",
		"BENCH_TENANT="+tenant, fmt.Sprintf("BENCH_ROWS=%d", consoleRows), fmt.Sprintf("BENCH_RUNS=%d", runs))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("node test/bench/first-view.mjs (in %s; needs npm ci there and chromium): %v\n%s", dir, err, stderr.String())
	}
	var v firstView
	if err := json.Unmarshal(out, &v); err != nil {
		b.Fatalf("first-view.mjs answer: %v\n%s", err, out)
	}
	if len(v.Runs) != runs {
		b.Fatalf("first-view.mjs ran %d times, not %d", len(v.Runs), runs)
	}
	return v
}
