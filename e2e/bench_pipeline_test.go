package e2e

import (
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
	var createRates, drainRates, drainSecs, ratios []float64
	for range runs {
		s.waitDelivered(tenant, 10*time.Minute)
		start := time.Now()
		took, _, err := loadRun(n, 16, grpcCreates(tc))
		if err != nil {
			b.Fatalf("pipeline creates: %v", err)
		}
		done := s.waitDelivered(tenant, 10*time.Minute)
		all := done.Sub(start)
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
	drain := spreadOf(drainRates).Median
	r.goal("4: pipeline drain rate / create rate", spreadOf(ratios).Median, true, 0.5)
	r.mu.Lock()
	isolated := r.isolatedCreate
	r.mu.Unlock()
	if isolated > 0 {
		r.goal("4: pipeline drain rate / isolated create rate (section 1, 16 clients)", drain/isolated, true, 0.7)
	}
	r.goal("4: pipeline drain rate, tickets/s end to end", drain, true, 1000)
	r.note("Pipeline: %d tickets per run, %d runs; done means the ticket shows its team and both SLA deadlines (polled every 100 ms).", n, runs)
}
