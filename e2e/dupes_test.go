package e2e

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// cityHall is Cape Town City Hall on Darling Street, inside the seeded
// city's west water area.
var cityHall = &commonv1.LatLng{Latitude: -33.92530, Longitude: 18.42370}

// metresFrom is the point north and east metres from p.
func metresFrom(p *commonv1.LatLng, north, east float64) *commonv1.LatLng {
	return &commonv1.LatLng{Latitude: p.GetLatitude() + north/111320,
		Longitude: p.GetLongitude() + east/(111320*math.Cos(p.GetLatitude()*math.Pi/180))}
}

func TestFortyReportsOfOneBurstMainEndAsOneParentWithThirtyNineLinkedChildren(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{})
	s.seedCity(t, "TST")
	ctx := context.Background()
	agentTok := s.token("agent-1", "TST", "agent")
	agent := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, agentTok))

	// Forty residents report the burst main within 100 m of City Hall, the
	// first at the door; a GBV report is made at the same place.
	var ids []string
	for i := range 40 {
		r, a := float64(i)*95/39, float64(i)*2.4
		citizen := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token(fmt.Sprintf("resident-%02d", i), "TST", "citizen")))
		resp, err := citizen.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_WATER,
			Description: "Burst main flooding Darling Street", Location: metresFrom(cityHall, r*math.Sin(a), r*math.Cos(a))})
		require.NoError(t, err)
		if i > 0 {
			require.NotEmpty(t, resp.GetLikelyDuplicates(), "report %d is offered the earlier ones", i)
		}
		ids = append(ids, resp.GetTicket().GetId())
	}
	victim := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("victim", "TST", "citizen")))
	gbv, err := victim.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_GBV,
		Description: "Assaulted outside City Hall", Location: metresFrom(cityHall, 1, 0)})
	require.NoError(t, err)
	require.Empty(t, gbv.GetLikelyDuplicates(), "a GBV report gets no suggestions")
	for _, id := range ids {
		s.waitRoutedAndClocked(agent, id)
	}

	// Staff look around City Hall through the gateway: nearest first, the
	// report at the door first, never the GBV report.
	q := url.Values{"category": {"CATEGORY_WATER"}, "page_size": {"50"},
		"location.latitude": {fmt.Sprint(cityHall.GetLatitude())}, "location.longitude": {fmt.Sprint(cityHall.GetLongitude())}}
	code, body, _ := s.call("GET", "/v1/tickets:nearby?"+q.Encode(), agentTok, "", nil)
	require.Equal(t, 200, code, "%v", body)
	found := body["tickets"].([]any)
	require.Len(t, found, 40)
	require.Equal(t, ids[0], found[0].(map[string]any)["id"])
	last := -1.0
	for _, f := range found {
		d, _ := f.(map[string]any)["distance_meters"].(float64) // omitted when 0
		require.GreaterOrEqual(t, d, last, "nearest first")
		require.Less(t, d, 100.5)
		require.NotEqual(t, gbv.GetTicket().GetId(), f.(map[string]any)["id"])
		last = d
	}
	for _, cat := range []commonv1.Category{commonv1.Category_CATEGORY_GBV, commonv1.Category_CATEGORY_WATER} {
		near, err := agent.ListNearbyTickets(ctx, &ticketv1.ListNearbyTicketsRequest{Location: cityHall, Category: cat, RadiusMeters: 5000, PageSize: 50})
		require.NoError(t, err)
		for _, n := range near.GetTickets() {
			require.NotEqual(t, gbv.GetTicket().GetId(), n.GetId(), "an agent never sees the GBV report")
		}
	}

	// Staff link the 39 others to the first: half through the gateway,
	// half over gRPC.
	parent := ids[0]
	for i, id := range ids[1:] {
		if i%2 == 0 {
			code, body, _ := s.call("POST", "/v1/tickets/"+id+":linkDuplicate", agentTok, `{"parent_id":"`+parent+`","reason":"same burst main"}`, nil)
			require.Equal(t, 200, code, "%v", body)
			continue
		}
		_, err := agent.LinkDuplicate(ctx, &ticketv1.LinkDuplicateRequest{Id: id, ParentId: parent, Reason: "same burst main"})
		require.NoError(t, err)
	}
	got, err := agent.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: parent})
	require.NoError(t, err)
	require.EqualValues(t, 39, got.GetTicket().GetLinkedCount())
	require.EqualValues(t, 39, got.GetTicket().GetFollowerCount())
	require.Equal(t, commonv1.TicketStatus_TICKET_STATUS_OPEN, got.GetTicket().GetStatus())
	// Every child is closed as a duplicate and its clocks stop at SLA.
	sla := slav1.NewSlaServiceClient(s.dial(s.slaAddr, agentTok))
	for _, id := range ids[1:] {
		child, err := agent.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: id})
		require.NoError(t, err)
		require.Equal(t, commonv1.TicketStatus_TICKET_STATUS_CLOSED, child.GetTicket().GetStatus())
		require.Equal(t, parent, child.GetTicket().GetDuplicateOf())
		s.eventually(20*time.Second, "the clocks of "+id+" stopped", func() (bool, string) {
			clocks, err := sla.GetTicketClocks(ctx, &slav1.GetTicketClocksRequest{TicketId: id})
			if err != nil {
				return false, err.Error()
			}
			for _, c := range clocks.GetClocks() {
				if c.GetStopTime() == nil {
					return false, c.String()
				}
			}
			return len(clocks.GetClocks()) > 0, "no clocks"
		})
	}
	after, err := agent.ListNearbyTickets(ctx, &ticketv1.ListNearbyTicketsRequest{Location: cityHall, Category: commonv1.Category_CATEGORY_WATER, PageSize: 50})
	require.NoError(t, err)
	require.Len(t, after.GetTickets(), 1, "the duplicates are no longer suggested")
	require.EqualValues(t, 39, after.GetTickets()[0].GetLinkedCount())
}

func TestAP1GetsTheP1DeadlineAndAPriorityChangeKeepsTheElapsedTime(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{})
	s.seedCity(t, "TST")
	ctx := context.Background()
	admin := slav1.NewSlaServiceClient(s.dial(s.slaAddr, s.token("platform-1", "TST", "platform_admin")))
	for _, c := range []*slav1.SlaConfig{
		{Municipality: "TST", Category: commonv1.Category_CATEGORY_WATER, ResponseHours: 24, ResolutionHours: 168},
		{Municipality: "TST", Category: commonv1.Category_CATEGORY_WATER, Priority: commonv1.Priority_PRIORITY_P1_CRITICAL,
			ResponseHours: 2, ResolutionHours: 12},
	} {
		_, err := admin.CreateSlaConfig(ctx, &slav1.CreateSlaConfigRequest{Config: c})
		require.NoError(t, err)
	}
	agentTok := s.token("agent-1", "TST", "agent")
	agent := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, agentTok))
	deadlines := func(id string, want func(created time.Time) (time.Time, time.Time)) {
		t.Helper()
		s.eventually(20*time.Second, "the deadlines of "+id, func() (bool, string) {
			got, err := agent.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: id})
			if err != nil {
				return false, err.Error()
			}
			tk := got.GetTicket()
			resp, res := want(tk.GetCreateTime().AsTime())
			ok := tk.GetResponseDeadline() != nil && tk.GetResolutionDeadline() != nil &&
				tk.GetResponseDeadline().AsTime().Sub(resp).Abs() < 500*time.Millisecond &&
				tk.GetResolutionDeadline().AsTime().Sub(res).Abs() < 500*time.Millisecond
			return ok, fmt.Sprintf("created %v, response %v, resolution %v", tk.GetCreateTime().AsTime(),
				tk.GetResponseDeadline().AsTime(), tk.GetResolutionDeadline().AsTime())
		})
	}

	// A live wire reported by staff as P1 gets the P1 deadlines.
	p1, err := agent.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_WATER,
		Description: "Pipe burst into the clinic's electrics", Location: cityHall, Priority: commonv1.Priority_PRIORITY_P1_CRITICAL})
	require.NoError(t, err)
	deadlines(p1.GetTicket().GetId(), func(c time.Time) (time.Time, time.Time) { return c.Add(2 * time.Hour), c.Add(12 * time.Hour) })

	// A P3 report raised to P1 three seconds later: the three seconds stay
	// counted, so the new deadlines run from the report, not from the change.
	p3, err := agent.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_WATER,
		Description: "Leak at the meter", Location: metresFrom(cityHall, 300, 0)})
	require.NoError(t, err)
	id := p3.GetTicket().GetId()
	require.Equal(t, commonv1.Priority_PRIORITY_P3_MEDIUM, p3.GetTicket().GetPriority())
	deadlines(id, func(c time.Time) (time.Time, time.Time) { return c.Add(24 * time.Hour), c.Add(168 * time.Hour) })
	time.Sleep(3 * time.Second)
	code, body, _ := s.call("POST", "/v1/tickets/"+id+":setPriority", agentTok,
		`{"priority":"PRIORITY_P1_CRITICAL","reason":"it is flooding the clinic"}`, nil)
	require.Equal(t, 200, code, "%v", body)
	deadlines(id, func(c time.Time) (time.Time, time.Time) { return c.Add(2 * time.Hour), c.Add(12 * time.Hour) })
	clocks, err := admin.ExplainTicketClocks(ctx, &slav1.ExplainTicketClocksRequest{TicketId: id})
	require.NoError(t, err)
	changed := 0
	for _, c := range clocks.GetClocks() {
		for _, sg := range c.GetSegments() {
			if sg.GetEndReason() == slav1.SegmentEndReason_SEGMENT_END_REASON_PRIORITY_CHANGED {
				changed++
				require.GreaterOrEqual(t, sg.GetElapsed().AsDuration(), 3*time.Second, "the time before the change, as measured")
			}
		}
	}
	require.Equal(t, 2, changed, "both clocks keep the segment before the change")
}

func TestAnOpen311ClientFindsNearbyRequestsAndFilesADuplicate(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{extraEnv: []string{"GATEWAY_CLIENT_RATE=0", "GATEWAY_TENANT_RATE=0"}})
	s.seedCity(t, o311Tenant)
	key := s.issueKey(t)
	code, raw, _ := s.o311(http.MethodPost, "requests.json", report(key, "water", cityHall, "Burst main on Darling Street"))
	require.Equal(t, 200, code, string(raw))
	parent := requestIDs(o311Requests(t, raw))[0]
	code, raw, _ = s.o311(http.MethodPost, "requests.json", report(key, "gbv", metresFrom(cityHall, 2, 0), "Assault"))
	require.Equal(t, 200, code, string(raw))
	gbv := requestIDs(o311Requests(t, raw))[0]

	// The client's "is this already reported?" screen.
	near := url.Values{"jurisdiction_id": {o311Tenant}, "api_key": {key}, "service_code": {"water"},
		"lat": {fmt.Sprint(metresFrom(cityHall, 40, 0).GetLatitude())}, "long": {fmt.Sprint(cityHall.GetLongitude())}}
	code, raw, _ = s.o311(http.MethodGet, "nearby.json", near)
	require.Equal(t, 200, code, string(raw))
	found := o311Requests(t, raw)
	require.Equal(t, []string{parent}, requestIDs(found))
	require.InDelta(t, 40, found[0]["distance_meters"], 1)
	require.NotContains(t, string(raw), "Burst main", "no description")
	for _, bad := range []url.Values{
		{"jurisdiction_id": {o311Tenant}, "service_code": {"water"}, "lat": near["lat"], "long": near["long"]},
		{"jurisdiction_id": {o311Tenant}, "api_key": {key}, "service_code": {"water"}, "lat": near["lat"], "long": near["long"], "radius": {"6000"}},
	} {
		code, raw, _ = s.o311(http.MethodGet, "nearby.json", bad)
		require.Contains(t, []int{400, 403}, code, string(raw))
	}
	gbvNear := url.Values{"jurisdiction_id": {o311Tenant}, "api_key": {key}, "service_code": {"gbv"}, "lat": near["lat"], "long": near["long"]}
	code, raw, _ = s.o311(http.MethodGet, "nearby.json", gbvNear)
	require.NotContains(t, string(raw), gbv, "never a GBV request (status %d)", code)

	// The reporter adds to the parent instead of filing another job.
	dup := report(key, "water", metresFrom(cityHall, 40, 0), "Water everywhere")
	dup.Set("attribute[duplicate_of]", parent)
	code, raw, _ = s.o311(http.MethodPost, "requests.json", dup)
	require.Equal(t, 200, code, string(raw))
	child := requestIDs(o311Requests(t, raw))[0]
	code, raw, _ = s.o311(http.MethodGet, "requests/"+child+".json", url.Values{"jurisdiction_id": {o311Tenant}, "extensions": {"true"}})
	require.Equal(t, 200, code, string(raw))
	requireValid(t, "requests.json", raw)
	got := o311Requests(t, raw)[0]
	require.Equal(t, "closed", got["status"])
	require.Contains(t, got["status_notes"], parent)
	require.Equal(t, parent, got["extended_attributes"].(map[string]any)["duplicate_of"])

	// A parent that is no open request of the jurisdiction refuses the report.
	for _, bad := range []string{gbv, child, "not-a-request"} {
		dup.Set("attribute[duplicate_of]", bad)
		code, raw, _ = s.o311(http.MethodPost, "requests.json", dup)
		requireO311Error(t, 400, code, raw, false)
		require.Contains(t, string(raw), "attribute[duplicate_of]")
	}
}

func TestTheTeamQueuePutsTheMostUrgentFirstAndReSortsOnAPriorityChange(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{})
	teams := s.seedCity(t, "TST")
	ctx := context.Background()
	agentTok := s.token("agent-1", "TST", "agent")
	agent := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, agentTok))
	report := func(desc string, p commonv1.Priority, north float64) string {
		t.Helper()
		resp, err := agent.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_ROADS,
			Description: desc, Location: metresFrom(cityHall, north, 0), Priority: p})
		require.NoError(t, err)
		s.waitRoutedAndClocked(agent, resp.GetTicket().GetId())
		return resp.GetTicket().GetId()
	}
	// Roads has one target for every priority: deadlines follow the order
	// of the reports, so only the priority puts the last report first.
	older := report("Pothole outside the library", commonv1.Priority_PRIORITY_UNSPECIFIED, 0) // P3 by rule
	low := report("Faded road markings", commonv1.Priority_PRIORITY_P4_LOW, 100)
	critical := report("Manhole cover missing on the school route", commonv1.Priority_PRIORITY_P1_CRITICAL, 200)
	newer := report("Pothole by the bus stop", commonv1.Priority_PRIORITY_UNSPECIFIED, 300) // P3 by rule

	queue := func(want ...string) {
		t.Helper()
		s.eventually(30*time.Second, "the queue in order", func() (bool, string) {
			code, body, _ := s.call("GET", "/v1/teams/"+teams.roads+"/queue", agentTok, "", nil)
			if code != 200 {
				return false, fmt.Sprint(code, body)
			}
			var got []string
			var desc []string
			for _, x := range body["tickets"].([]any) {
				q := x.(map[string]any)
				got = append(got, q["ticket_id"].(string))
				desc = append(desc, fmt.Sprint(q["priority"], " ", q["breach_time"]))
			}
			return fmt.Sprint(got) == fmt.Sprint(want), fmt.Sprint(got, desc)
		})
	}
	queue(critical, older, newer, low)

	code, body, _ := s.call("POST", "/v1/tickets/"+low+":setPriority", agentTok,
		`{"priority":"PRIORITY_P2_HIGH","reason":"the markings are at a crossing"}`, nil)
	require.Equal(t, 200, code, "%v", body)
	queue(critical, low, older, newer)
}

func TestALinkedReporterHearsOfTheParentsResolutionAndAnUnlinkedOneNoMore(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{messaging: true})
	s.seedCity(t, "TST")
	s.allowNightMessages(t, "TST")
	ctx := context.Background()
	agent := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("agent-1", "TST", "agent")))
	report := func(who string, north float64) *ticketv1.Ticket {
		t.Helper()
		c := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token(who, "TST", "citizen")))
		resp, err := c.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_WATER,
			Description: "Burst main on Darling Street", Location: metresFrom(cityHall, north, 0),
			Reporter: &ticketv1.Reporter{Name: who, Email: who + "@tst.test"}})
		require.NoError(t, err)
		s.waitRoutedAndClocked(agent, resp.GetTicket().GetId())
		return resp.GetTicket()
	}
	parent, linked, unlinked := report("first", 0), report("linked", 20), report("unlinked", 40)
	for _, child := range []string{linked.GetId(), unlinked.GetId()} {
		_, err := agent.LinkDuplicate(ctx, &ticketv1.LinkDuplicateRequest{Id: child, ParentId: parent.GetId(), Reason: "same main"})
		require.NoError(t, err)
	}
	_, err := agent.UnlinkDuplicate(ctx, &ticketv1.UnlinkDuplicateRequest{Id: unlinked.GetId(), Reason: "another main"})
	require.NoError(t, err)
	for _, to := range []commonv1.TicketStatus{commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, commonv1.TicketStatus_TICKET_STATUS_RESOLVED} {
		_, err := agent.UpdateTicketStatus(ctx, &ticketv1.UpdateTicketStatusRequest{Id: parent.GetId(), Status: to, Reason: "crew on site"})
		require.NoError(t, err)
	}
	resolvedMail := func(who string) int {
		n := 0
		for _, m := range s.mail.to(who + "@tst.test") {
			if strings.Contains(m.Text, parent.GetReference()+" has been resolved") {
				n++
			}
		}
		return n
	}
	s.eventually(60*time.Second, "the linked reporter hears of the resolution", func() (bool, string) {
		return resolvedMail("linked") == 1 && resolvedMail("first") == 1, fmt.Sprint(resolvedMail("linked"), resolvedMail("first"))
	})
	time.Sleep(2 * time.Second)
	require.Equal(t, 1, resolvedMail("linked"), "once")
	require.Zero(t, resolvedMail("unlinked"), "an unlinked reporter hears no more of the parent")
	var follower []*notifyv1.Message
	for _, m := range s.messages(t, "TST", "agent", parent.GetId()) {
		if m.GetRecipientKind() == notifyv1.RecipientKind_RECIPIENT_KIND_FOLLOWER {
			require.Equal(t, linked.GetId(), m.GetRecipientId())
			follower = append(follower, m)
		}
	}
	require.Len(t, follower, 2, "the acknowledgement and the resolution, on the one channel the linked reporter gave")
}
