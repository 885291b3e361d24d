package e2e

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// countRow runs a query returning one integer.
func (s *suite) countRow(q string) int {
	s.t.Helper()
	var n int
	require.NoError(s.t, s.db.QueryRow(context.Background(), q).Scan(&n), q)
	return n
}

func TestNoAcceptedTicketIsLostOrDuplicatedWhenRoutingAndSLACrash(t *testing.T) {
	t.Parallel()
	const total, clients = 1000, 8
	s := startSuite(t, options{})
	s.seedCity(t, "TST")
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("agent-1", "TST", "agent")))

	var created atomic.Int64
	var wg sync.WaitGroup
	ids := make(chan string, total)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; i < total; i += clients {
				p := westPoint
				if i%2 == 1 {
					p = eastPoint
				}
				cat := commonv1.Category_CATEGORY_WATER
				if i%5 == 0 {
					cat = commonv1.Category_CATEGORY_ROADS
				}
				resp, err := tc.CreateTicket(context.Background(), &ticketv1.CreateTicketRequest{
					Category: cat, Description: fmt.Sprintf("fault test ticket %d", i), Location: p,
					IdempotencyKey: fmt.Sprintf("fault-%d", i),
				})
				if err != nil {
					t.Errorf("create %d: %v", i, err)
					return
				}
				ids <- resp.GetTicket().GetId()
				created.Add(1)
			}
		}()
	}

	// Crash routing and SLA twice while tickets pour in, and bring them back.
	for _, at := range []int64{total / 4, total * 3 / 5} {
		for created.Load() < at && !t.Failed() {
			time.Sleep(20 * time.Millisecond)
		}
		s.procs["routing"].kill()
		s.procs["sla-0"].kill()
		time.Sleep(1500 * time.Millisecond)
		s.procs["routing"].start()
		s.procs["sla-0"].start()
	}
	wg.Wait()
	close(ids)
	require.False(t, t.Failed())
	require.EqualValues(t, total, created.Load())
	require.Equal(t, total, s.countRow(`select count(*) from ticket.tickets`))

	// After the backlog drains every ticket has exactly one current
	// assignment and one set of clocks, and shows both.
	s.eventually(4*time.Minute, "backlog drained", func() (bool, string) {
		routed := s.countRow(`select count(distinct ticket_id) from routing.assignments where is_current`)
		clocked := s.countRow(`select count(distinct ticket_id) from sla.clocks`)
		mirrored := s.countRow(`select count(*) from ticket.tickets where assigned_team_id is not null and resolution_deadline is not null`)
		return routed == total && clocked == total && mirrored == total,
			fmt.Sprintf("routed=%d clocked=%d mirrored=%d of %d", routed, clocked, mirrored, total)
	})
	require.Zero(t, s.countRow(`select count(*) from (select ticket_id from routing.assignments where is_current group by ticket_id having count(*) > 1) d`),
		"a ticket with two current assignments")
	require.Zero(t, s.countRow(`select count(*) from (select ticket_id from routing.assignments group by ticket_id having count(*) > 1) d`),
		"a ticket routed twice")
	require.Zero(t, s.countRow(`select count(*) from (select ticket_id, kind, cycle from sla.clocks group by 1,2,3 having count(*) > 1) d`),
		"a duplicated clock")
	require.Equal(t, 2*total, s.countRow(`select count(*) from sla.clocks`), "one response and one resolution clock per ticket")
	require.Zero(t, s.countRow(`select count(*) from sla.clock_events`), "no warning or escalation with a 24h SLA")
}
