package e2e

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// waitRoutedAndClocked waits until the ticket shows its team and both SLA
// deadlines, and returns it.
func (s *suite) waitRoutedAndClocked(tc ticketv1.TicketServiceClient, id string) *ticketv1.Ticket {
	s.t.Helper()
	var got *ticketv1.Ticket
	s.eventually(20*time.Second, "ticket "+id+" routed and clocked", func() (bool, string) {
		resp, err := tc.GetTicket(context.Background(), &ticketv1.GetTicketRequest{Id: id})
		if err != nil {
			return false, err.Error()
		}
		got = resp.GetTicket()
		ok := got.GetAssignedTeamId() != "" && got.GetResponseDeadline() != nil && got.GetResolutionDeadline() != nil
		return ok, fmt.Sprintf("team=%q response=%v resolution=%v", got.GetAssignedTeamName(), got.GetResponseDeadline(), got.GetResolutionDeadline())
	})
	return got
}

func TestTicketsAreRoutedAndClockedThroughGRPCAndTheGateway(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{})
	teams := s.seedCity(t, "TST")
	agent := s.token("agent-1", "TST", "agent")
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, agent))

	// Through gRPC: a burst pipe in the west goes to the west water team.
	created, err := tc.CreateTicket(context.Background(), &ticketv1.CreateTicketRequest{
		Category: commonv1.Category_CATEGORY_WATER, Description: "Burst pipe on Main Road", Location: westPoint,
	})
	require.NoError(t, err)
	got := s.waitRoutedAndClocked(tc, created.GetTicket().GetId())
	require.Equal(t, teams.westWater, got.GetAssignedTeamId())
	require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_GEOSPATIAL_ROUTING, got.GetAssignmentReason())
	require.True(t, got.GetResponseDeadline().AsTime().After(got.GetCreateTime().AsTime()))

	// Through the gateway: a burst pipe in the east goes to the east team.
	code, body, hdr := s.call("POST", "/v1/tickets", agent,
		fmt.Sprintf(`{"category":"CATEGORY_WATER","description":"Leak at the clinic","location":{"latitude":%v,"longitude":%v}}`,
			eastPoint.GetLatitude(), eastPoint.GetLongitude()), map[string]string{"Idempotency-Key": "e2e-east-1"})
	require.Equal(t, 200, code, body)
	require.NotEmpty(t, hdr.Get("X-Request-Id"))
	ticket := body["ticket"].(map[string]any)
	id := ticket["id"].(string)
	got = s.waitRoutedAndClocked(tc, id)
	require.Equal(t, teams.eastWater, got.GetAssignedTeamId())

	// The same Idempotency-Key and report return the same ticket.
	code, body, _ = s.call("POST", "/v1/tickets", agent,
		fmt.Sprintf(`{"category":"CATEGORY_WATER","description":"Leak at the clinic","location":{"latitude":%v,"longitude":%v}}`,
			eastPoint.GetLatitude(), eastPoint.GetLongitude()), map[string]string{"Idempotency-Key": "e2e-east-1"})
	require.Equal(t, 200, code, body)
	require.Equal(t, id, body["ticket"].(map[string]any)["id"])
	// The same key with another report is a conflict naming the key...
	code, body, _ = s.call("POST", "/v1/tickets", agent,
		fmt.Sprintf(`{"category":"CATEGORY_WATER","description":"Another leak","location":{"latitude":%v,"longitude":%v}}`,
			eastPoint.GetLatitude(), eastPoint.GetLongitude()), map[string]string{"Idempotency-Key": "e2e-east-1"})
	require.Equal(t, 409, code, body)
	require.Equal(t, "ALREADY_EXISTS", body["status"])
	require.Contains(t, body["message"], "idempotency_key was already used for a different request")
	// ...and another agent's equal key is theirs: a ticket of their own.
	code, body, _ = s.call("POST", "/v1/tickets", s.token("agent-2", "TST", "agent"),
		fmt.Sprintf(`{"category":"CATEGORY_WATER","description":"Leak at the clinic","location":{"latitude":%v,"longitude":%v}}`,
			eastPoint.GetLatitude(), eastPoint.GetLongitude()), map[string]string{"Idempotency-Key": "e2e-east-1"})
	require.Equal(t, 200, code, body)
	require.NotEqual(t, id, body["ticket"].(map[string]any)["id"])
	require.Equal(t, "agent-2", body["ticket"].(map[string]any)["reporter_subject"])

	// JSON GET shows the mirrored team and deadlines too.
	code, body, _ = s.call("GET", "/v1/tickets/"+id, agent, "", nil)
	require.Equal(t, 200, code, body)
	require.Equal(t, teams.eastWater, body["ticket"].(map[string]any)["assigned_team_id"])
	require.NotEmpty(t, body["ticket"].(map[string]any)["resolution_deadline"])

	// A GBV report goes only to the SAPS team.
	saps := s.token("saps-1", "TST", "saps_liaison")
	sc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, saps))
	gbv, err := sc.CreateTicket(context.Background(), &ticketv1.CreateTicketRequest{
		Category: commonv1.Category_CATEGORY_GBV, Description: "Neighbour reports assault", Location: westPoint,
	})
	require.NoError(t, err)
	got = s.waitRoutedAndClocked(sc, gbv.GetTicket().GetId())
	require.Equal(t, teams.saps, got.GetAssignedTeamId())

	// A status change reaches the clocks: the first response meets the
	// response clock.
	_, err = tc.UpdateTicketStatus(context.Background(), &ticketv1.UpdateTicketStatusRequest{
		Id: created.GetTicket().GetId(), Status: commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, Reason: "crew dispatched",
	})
	require.NoError(t, err)
	slaClient := slav1.NewSlaServiceClient(s.dial(s.slaAddr, agent))
	s.eventually(20*time.Second, "response clock met", func() (bool, string) {
		resp, err := slaClient.GetTicketClocks(context.Background(), &slav1.GetTicketClocksRequest{TicketId: created.GetTicket().GetId()})
		if err != nil {
			return false, err.Error()
		}
		for _, c := range resp.GetClocks() {
			if c.GetKind() == slav1.ClockKind_CLOCK_KIND_RESPONSE {
				return c.GetState() == slav1.ClockState_CLOCK_STATE_MET, c.GetState().String()
			}
		}
		return false, "no response clock"
	})
}

func TestDeliveryBacklogAndLagAreExported(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{})
	s.seedCity(t, "TST")
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("agent-1", "TST", "agent")))
	created, err := tc.CreateTicket(context.Background(), &ticketv1.CreateTicketRequest{
		Category: commonv1.Category_CATEGORY_WATER, Description: "Burst pipe", Location: westPoint,
	})
	require.NoError(t, err)
	s.waitRoutedAndClocked(tc, created.GetTicket().GetId())
	scrape := func(name string) string {
		resp, err := httpClient.Get("http://" + s.adminAddr(name) + "/metrics")
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	// The ticket service recorded routing and SLA work for the ticket (two
	// SLA events: created, and routing's assignment); its delivery is
	// observed once River has marked the jobs completed, and then nothing
	// of it is due any more.
	s.eventually(20*time.Second, "delivery metrics", func() (bool, string) {
		m := scrape("ticket")
		ok := strings.Contains(m, `trustengine_delivery_seconds_count{kind="ticket.route_ticket"} 1`) &&
			strings.Contains(m, `trustengine_delivery_seconds_count{kind="ticket.sla_event"} 2`) &&
			!strings.Contains(m, `state="available"`)
		return ok, "ticket metrics lack delivery counts"
	})
	for _, name := range []string{"routing", "sla-0"} {
		m := scrape(name)
		require.Contains(t, m, "trustengine_grpc_server_handled_total", name)
		require.Contains(t, m, "# TYPE trustengine_delivery_lag_seconds gauge", name)
	}
}

func TestABreachEscalatesExactlyOnceWithTwoSLAReplicas(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{slaReplicas: 2, extraEnv: []string{"SLA_SWEEP_INTERVAL=500ms"}})
	s.seedCity(t, "TST")
	ctx := context.Background()
	admin := slav1.NewSlaServiceClient(s.dial(s.slaAddr, s.token("platform-1", "TST", "platform_admin")))
	// A tiny SLA: a response is due 2 seconds after creation, resolution 4.
	_, err := admin.CreateSlaConfig(ctx, &slav1.CreateSlaConfigRequest{Config: &slav1.SlaConfig{
		Municipality: "TST", Category: commonv1.Category_CATEGORY_ROADS,
		ResponseHours: 2.0 / 3600, ResolutionHours: 4.0 / 3600, WarningThresholdPct: 50,
	}})
	require.NoError(t, err)

	agent := s.token("agent-1", "TST", "agent")
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, agent))
	created, err := tc.CreateTicket(ctx, &ticketv1.CreateTicketRequest{
		Category: commonv1.Category_CATEGORY_ROADS, Description: "Pothole swallowing cars", Location: eastPoint,
	})
	require.NoError(t, err)
	id := created.GetTicket().GetId()

	s.eventually(30*time.Second, "ticket escalated", func() (bool, string) {
		resp, err := tc.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: id})
		if err != nil {
			return false, err.Error()
		}
		return resp.GetTicket().GetEscalatedAt() != nil, resp.GetTicket().String()
	})
	got, err := tc.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: id})
	require.NoError(t, err)
	require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH, got.GetTicket().GetEscalationReason())

	// Let both replicas sweep many more times, then count: every breach
	// level the SLA service recorded produced exactly one escalation.
	time.Sleep(4 * time.Second)
	manager := s.token("mgr-1", "TST", "team_manager")
	rc := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, manager))
	s.eventually(20*time.Second, "escalations match breaches", func() (bool, string) {
		clocks, err := admin.GetTicketClocks(ctx, &slav1.GetTicketClocksRequest{TicketId: id})
		if err != nil {
			return false, err.Error()
		}
		breaches := map[int32]int{}
		for _, e := range clocks.GetEvents() {
			if e.GetKind() == slav1.ClockEventKind_CLOCK_EVENT_KIND_BREACH {
				breaches[e.GetLevel()]++
			}
		}
		as, err := rc.ListAssignments(ctx, &routingv1.ListAssignmentsRequest{TicketId: id})
		if err != nil {
			return false, err.Error()
		}
		escalations := map[int32]int{}
		current := 0
		for _, a := range as.GetAssignments() {
			if a.GetReason() == commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH {
				escalations[a.GetEscalationLevel()]++
			}
			if a.GetIsCurrent() {
				current++
			}
		}
		for level, n := range breaches {
			if n != 1 {
				t.Fatalf("breach level %d recorded %d times", level, n)
			}
		}
		for level, n := range escalations {
			if n != 1 {
				t.Fatalf("escalation level %d made %d times", level, n)
			}
		}
		if current != 1 {
			t.Fatalf("%d current assignments", current)
		}
		return len(breaches) > 0 && len(breaches) == len(escalations), fmt.Sprintf("breaches=%v escalations=%v", breaches, escalations)
	})

	// Each warning and breach is on the ticket's history once, and in the
	// feed a notification consumer polls, under the same event id.
	kinds := map[slav1.ClockEventKind]string{slav1.ClockEventKind_CLOCK_EVENT_KIND_WARNING: "sla_warning",
		slav1.ClockEventKind_CLOCK_EVENT_KIND_BREACH: "sla_breach"}
	want := map[string]string{}
	s.eventually(30*time.Second, "every clock event on the ticket's history once", func() (bool, string) {
		clocks, err := admin.GetTicketClocks(ctx, &slav1.GetTicketClocksRequest{TicketId: id})
		if err != nil {
			return false, err.Error()
		}
		want = map[string]string{}
		for _, e := range clocks.GetEvents() {
			want[e.GetEventId()] = kinds[e.GetKind()]
		}
		rows, err := s.db.Query(ctx, `select event_id::text, kind from ticket.history
			where ticket_id = $1 and kind in ('sla_warning', 'sla_breach')`, id)
		if err != nil {
			return false, err.Error()
		}
		got := map[string]string{}
		n := 0
		for rows.Next() {
			var eid, kind string
			if err := rows.Scan(&eid, &kind); err != nil {
				return false, err.Error()
			}
			got[eid] = kind
			n++
		}
		return n == len(got) && fmt.Sprint(got) == fmt.Sprint(want), fmt.Sprintf("history %v (%d rows), events %v", got, n, want)
	})
	feed := slav1.NewSlaInternalServiceClient(s.dial(s.slaAddr, s.token("notify", "*", "service")))
	// The feed shows an event once every transaction older than it has
	// ended, on the whole server: a long import of a suite running beside
	// this one holds it back for as long as it lasts.
	s.eventually(120*time.Second, "clock events in the feed", func() (bool, string) {
		got, after := 0, ""
		for {
			page, err := feed.ListClockEvents(ctx, &slav1.ListClockEventsRequest{After: after, PageSize: 2})
			if err != nil {
				return false, err.Error()
			}
			for _, e := range page.GetEvents() {
				if e.GetTicketId() == id && want[e.GetEventId()] != "" {
					got++
				}
			}
			if len(page.GetEvents()) == 0 {
				return got == len(want), fmt.Sprintf("%d of %d events in the feed", got, len(want))
			}
			after = page.GetNextCursor()
		}
	})
}
