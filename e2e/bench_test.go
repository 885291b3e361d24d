package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// BenchmarkSuite measures the running suite against baselines measured in
// the same run on the same machine and writes bench/results/latest.{md,json}
// (BENCH_OUT overrides the folder). Run it once: `make bench`, or
//
//	go test -run '^$' -bench BenchmarkSuite -benchtime 1x -timeout 90m
//
// BENCH_SCALE shrinks every workload for a quick try; BENCH_RUNS sets how
// often each figure is measured; BENCH_SECTIONS (e.g. "7,11") runs only
// the sections it names.
func BenchmarkSuite(b *testing.B) {
	r := &benchReport{Time: time.Now(), Scale: benchScale(), Runs: benchRuns(), Commit: commitOf()}
	// Rate limits are lifted so that the gateway figure is its overhead, not
	// its limiter; periodic sweeps are off so they do not compete.
	loadEnv := []string{
		"GATEWAY_TENANT_RATE=1000000", "GATEWAY_TENANT_BURST=1000000",
		"GATEWAY_CLIENT_RATE=1000000", "GATEWAY_CLIENT_BURST=1000000", "SLA_SWEEP_INTERVAL=1h",
	}
	loadEnv = append(loadEnv, profileEnv()...)
	// Each sub-benchmark runs when BENCH_SECTIONS names one of the
	// sections it measures (all when it is unset).
	run := func(name string, sections []int, f func(b *testing.B)) {
		if sectionWanted(sections...) {
			b.Run(name, f)
		}
	}
	run("create", []int{0, 1, 2}, func(b *testing.B) {
		// Goal 1 is the create path itself: validation, insert, history and
		// the delivery record. As in the baseline, whose job rows sit in a
		// queue nobody serves, the ticket service records its deliveries
		// without working them here; the pipeline figure (goal 4) measures
		// creates with delivery running.
		s := startSuite(b, options{extraEnv: loadEnv, envFor: map[string][]string{"ticket": {"ROUTING_ADDR=", "SLA_ADDR=", "NOTIFY_ADDR="}}})
		r.Machine = describeMachine(context.Background(), s.db)
		benchCreates(b, s, r)
	})
	run("load", []int{4, 6}, func(b *testing.B) {
		s := startSuite(b, options{extraEnv: loadEnv})
		benchPipeline(b, s, r)
		for _, name := range []string{"ticket", "routing", "sla-0", "gateway"} {
			p := s.procs[name]
			rss := peakRSSKiB(p.cmd.Process.Pid) / 1024
			r.add("6 memory", "peak RSS (VmHWM) of "+name+" after the pipeline load", "MiB", spreadOf([]float64{rss}))
			r.goal("6: peak RSS of "+name+" under the pipeline, MiB", rss, false, 100)
		}
	})
	run("routing", []int{3}, func(b *testing.B) { benchRouting(b, r) })
	run("sweep", []int{5}, func(b *testing.B) { benchSweep(b, r) })
	run("indicators", []int{10}, func(b *testing.B) { benchIndicators(b, r) })
	run("map", []int{7}, func(b *testing.B) { benchMap(b, r) })
	run("console", []int{8}, func(b *testing.B) { benchConsole(b, r) })
	run("photos", []int{9}, func(b *testing.B) { benchPhotos(b, r) })
	run("nearby", []int{11}, func(b *testing.B) { benchNearby(b, r) })

	dir := os.Getenv("BENCH_OUT")
	if dir == "" {
		dir = filepath.Join(benchRepoRoot(), "bench", "results")
	}
	if err := r.write(dir); err != nil {
		b.Fatal(err)
	}
	fmt.Println(r.markdown())
}

// benchCreates measures goal 1 (the service's create rate against the same
// INSERTs done directly) and goal 2 (the gateway against direct gRPC).
// Service, baseline and gateway runs alternate, so drift on a shared machine
// hits all of them alike.
func benchCreates(b *testing.B, s *suite, r *benchReport) {
	const tenant = "TST"
	s.seedCity(b, tenant)
	token := s.token("bench-agent", tenant, "agent")
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, token))
	pool := s.widePool(32)
	sizes := map[int]int{1: scaled(200, 20), 16: scaled(1000, 50)}
	rates := map[string][]float64{}
	measure := func(key string, n, clients int, op func(int) error) {
		took, _, err := loadRun(n, clients, op)
		if err != nil {
			b.Fatalf("%s: %v", key, err)
		}
		rates[key] = append(rates[key], perSecond(n, took))
	}
	for run := range r.Runs {
		measureDiskLimit(b, pool, rates)
		for _, c := range []int{1, 16} {
			wait := func() {}
			if run == 0 {
				// The first run's creates are profiled (BENCH_PROFILE).
				wait = s.profileDuring(b, fmt.Sprintf("create-%d", c), 2, "ticket")
			}
			measure(fmt.Sprintf("grpc/%d", c), sizes[c], c, grpcCreates(tc))
			wait()
			measure(fmt.Sprintf("baseline/%d", c), sizes[c], c, baselineCreates(pool, "BASE"))
		}
		measure("gateway/16", sizes[16], 16, s.gatewayCreates(token, 16))
	}
	reportDiskLimit(r, rates)
	for _, c := range []int{1, 16} {
		r.add("1 create", fmt.Sprintf("CreateTicket over gRPC, %s", clientsLabel(c)), "tickets/s", spreadOf(rates[fmt.Sprintf("grpc/%d", c)]))
		r.add("1 create", fmt.Sprintf("baseline: same statements via pgx, %s", clientsLabel(c)), "tickets/s", spreadOf(rates[fmt.Sprintf("baseline/%d", c)]))
		r.ratioRow("1 create", "CreateTicket over gRPC", rates[fmt.Sprintf("grpc/%d", c)], c)
		r.ratioRow("1 create", "baseline: same statements via pgx", rates[fmt.Sprintf("baseline/%d", c)], c)
	}
	r.add("2 gateway", "POST /v1/tickets JSON via gateway, 16 clients", "tickets/s", spreadOf(rates["gateway/16"]))
	r.ratioRow("2 gateway", "POST /v1/tickets JSON via gateway", rates["gateway/16"], 16)
	grpc16 := spreadOf(rates["grpc/16"]).Median
	r.mu.Lock()
	r.isolatedCreate = grpc16
	r.mu.Unlock()
	r.goal("1: CreateTicket rate, 16 clients of one tenant / disk-limit insert rate at 16", ratio(grpc16, r.diskLimitAt(16)), true, 0.25)
	r.goal("1: gRPC create rate / pgx baseline at 16 clients", ratio(grpc16, spreadOf(rates["baseline/16"]).Median), true, 0.6)
	r.goal("2: gateway create rate / direct gRPC at 16 clients", ratio(spreadOf(rates["gateway/16"]).Median, grpc16), true, 0.7)
	r.note("Creates: %d per run at 1 client, %d at 16; one water ticket each in one tenant, at one of two points; the baseline writes tenant BASE into the same tables with the service's statements (duplicate settings; ticket, history and the likely-duplicate look-up in one batch; the three jobs; commit). Deliveries are recorded but not worked on both sides (the pipeline row measures creates with delivery running).", sizes[1], sizes[16])
}

// clientsLabel is "1 client" or "N clients".
func clientsLabel(n int) string {
	if n == 1 {
		return "1 client"
	}
	return fmt.Sprintf("%d clients", n)
}
