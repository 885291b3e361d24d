package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
)

// Clocks of the sweep benchmark: tenant dueTenant holds the clocks whose
// warning is due, openTenant the open backlog that is not due for hours.
const (
	dueTenant  = "SWD"
	openTenant = "SWO"
)

// insertOpenClocks adds n running response clocks whose warning is 19 hours
// away, straight into the sla schema, with the table's indexes built after
// the load (bulkLoad).
func (s *suite) insertOpenClocks(ctx context.Context, n int) {
	s.t.Helper()
	s.bulkLoad(ctx, []string{"sla.clocks"}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO sla.clocks (tenant, ticket_id, category, kind, cycle, state, start_at,
				deadline_at, warn_at, target_us, warn_target_us, next_due_at)
			SELECT $1, gen_random_uuid(), 'water', 'response', 1, 'running', now(),
				now() + interval '24 hours', now() + interval '19 hours', 86400000000, 68400000000,
				now() + interval '19 hours'
			FROM generate_series(1, $2)`, openTenant, n)
		return err
	})
}

// armDueClocks makes n clocks due for their warning (10 minutes ago, with
// the deadline 9 hours away, so the sweep warns and does not escalate),
// creating them the first time and re-arming them afterwards, each with its
// ticket's state.
func (s *suite) armDueClocks(ctx context.Context, n int) {
	s.t.Helper()
	_, err := s.db.Exec(ctx, `DELETE FROM sla.clock_events WHERE tenant = $1`, dueTenant)
	for _, table := range []string{"sla.report_tickets", "sla.clocks", "sla.tickets"} {
		if err == nil {
			_, err = s.db.Exec(ctx, `DELETE FROM `+table+` WHERE tenant = $1`, dueTenant)
		}
	}
	if err == nil {
		_, err = s.db.Exec(ctx, `INSERT INTO sla.clocks (tenant, ticket_id, category, kind, cycle, state, start_at,
				deadline_at, warn_at, target_us, warn_target_us, next_due_at)
			SELECT $1, gen_random_uuid(), 'water', 'response', 1, 'running', now() - interval '1 hour',
				now() + interval '9 hours', now() - interval '10 minutes', 36000000000, 3000000000,
				now() - interval '10 minutes'
			FROM generate_series(1, $2)`, dueTenant, n)
	}
	// The sweep refreshes each swept ticket's report row from its state,
	// which the created event would have recorded.
	if err == nil {
		_, err = s.db.Exec(ctx, `INSERT INTO sla.tickets (ticket_id, tenant, category, status, last_sequence)
			SELECT ticket_id, tenant, category, 'open', 1 FROM sla.clocks WHERE tenant = $1`, dueTenant)
	}
	if err != nil {
		s.t.Fatalf("arm due clocks: %v", err)
	}
}

// benchSweep measures goal 5 on its own suite: the time of one sweep of
// `due` warning-due clocks with a small and then a large open backlog. The
// sweep reads only due clocks (a partial index on next_due_at), so its cost
// should follow the due work, not the backlog.
func benchSweep(b *testing.B, r *benchReport) {
	s := startSuite(b, options{extraEnv: []string{"SLA_SWEEP_INTERVAL=1h"}})
	ctx := context.Background()
	sc := slav1.NewSlaInternalServiceClient(s.dial(s.slaAddr, s.token("sla-bench", "*", "service")))
	due, small, large := scaled(1000, 50), scaled(10000, 500), scaled(1000000, 5000)
	measure := func() []float64 {
		var ms []float64
		for range r.Runs {
			s.armDueClocks(ctx, due)
			start := time.Now()
			resp, err := sc.RunSweep(ctx, &slav1.RunSweepRequest{Limit: int32(due)})
			took := time.Since(start)
			if err != nil {
				b.Fatalf("RunSweep: %v", err)
			}
			if int(resp.GetWarnings()) != due || resp.GetBreaches() != 0 {
				b.Fatalf("RunSweep recorded %d warnings and %d breaches; want %d and 0", resp.GetWarnings(), resp.GetBreaches(), due)
			}
			ms = append(ms, float64(took.Microseconds())/1000)
		}
		return ms
	}
	s.insertOpenClocks(ctx, small-due)
	few := spreadOf(measure())
	loadStart := time.Now()
	s.insertOpenClocks(ctx, large-small)
	loadTook := time.Since(loadStart)
	many := spreadOf(measure())
	r.add("5 sla sweep", "sweep of due clocks, open clocks = "+groupDigits(small), "ms", few)
	r.add("5 sla sweep", "sweep of due clocks, open clocks = "+groupDigits(large), "ms", many)
	r.goal("5: sweep time at "+groupDigits(large)+" open / at "+groupDigits(small)+" open", ratio(many.Median, few.Median), false, 1.5)
	r.note("SLA sweep: %d warning-due clocks swept by one RunSweep call, re-armed before every run; the open backlog was inserted with generate_series (%d more clocks took %.0f s).",
		due, large-small, loadTook.Seconds())
}
