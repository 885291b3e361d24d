package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
)

const (
	water = commonv1.Category_CATEGORY_WATER
	roads = commonv1.Category_CATEGORY_ROADS
	gbv   = commonv1.Category_CATEGORY_GBV
	waste = commonv1.Category_CATEGORY_WASTE
)

func TestRouteTicketAppliesTheRulesInOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	// Two water areas: a big west half and a small box inside it.
	big := e.team("TST", &routingv1.Team{Name: "Water west", Category: water, ServiceArea: square(25, -30, 25.5, -29)})
	small := e.team("TST", &routingv1.Team{Name: "Water centre", Category: water, ServiceArea: square(25.2, -29.6, 25.3, -29.5)})
	// A non-SAPS team whose area covers everything, and one SAPS team in the east.
	e.team("TST", &routingv1.Team{Name: "GBV desk (not SAPS)", Category: gbv, ServiceArea: square(25, -30, 26, -29)})
	saps := e.team("TST", &routingv1.Team{Name: "SAPS east", Category: gbv, IsSaps: true, ServiceArea: square(25.8, -30, 26, -29)})
	// Roads has only a team without an area.
	roadsTeam := e.team("TST", &routingv1.Team{Name: "Roads", Category: roads})
	// An inactive waste team never receives tickets.
	inactive := e.team("TST", &routingv1.Team{Name: "Waste", Category: waste, ServiceArea: square(25, -30, 26, -29)})
	_, err := e.public.DeactivateTeam(admin(t, "TST"), &routingv1.DeactivateTeamRequest{Id: inactive.GetId()})
	require.NoError(t, err)

	tests := []struct {
		name     string
		category commonv1.Category
		lat, lng float64
		team     string
		reason   commonv1.AssignmentReason
	}{
		{"a point inside two areas goes to the most specific one", water, -29.55, 25.25, small.GetId(), commonv1.AssignmentReason_ASSIGNMENT_REASON_GEOSPATIAL_ROUTING},
		{"a point inside one area goes to it", water, -29.9, 25.1, big.GetId(), commonv1.AssignmentReason_ASSIGNMENT_REASON_GEOSPATIAL_ROUTING},
		{"a point outside every area of its category goes to the nearest team", water, -29.5, 25.9, big.GetId(), commonv1.AssignmentReason_ASSIGNMENT_REASON_FALLBACK_NEAREST},
		{"a category whose teams have no area falls back to a team by id", roads, -29.5, 25.5, roadsTeam.GetId(), commonv1.AssignmentReason_ASSIGNMENT_REASON_FALLBACK_NEAREST},
		{"a category without an active team goes to triage", waste, -29.5, 25.5, "", commonv1.AssignmentReason_ASSIGNMENT_REASON_TRIAGE},
		{"GBV goes to the SAPS team even where a non-SAPS team's area contains the point", gbv, -29.5, 25.9, saps.GetId(), commonv1.AssignmentReason_ASSIGNMENT_REASON_GEOSPATIAL_ROUTING},
		{"GBV outside every SAPS area goes to the nearest SAPS team", gbv, -29.5, 25.1, saps.GetId(), commonv1.AssignmentReason_ASSIGNMENT_REASON_FALLBACK_NEAREST},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.route("TST", tc.category, tc.lat, tc.lng)
			require.Equal(t, tc.team, resp.GetAssignment().GetTeamId())
			require.Equal(t, tc.reason, resp.GetAssignment().GetReason())
			require.Equal(t, tc.reason, resp.GetDecision().GetReason())
			require.True(t, resp.GetAssignment().GetIsCurrent())
			require.NotEmpty(t, resp.GetDecision().GetExplanation())

			explained, err := e.public.ExplainRoute(admin(t, "TST"), &routingv1.ExplainRouteRequest{
				Location: &commonv1.LatLng{Latitude: tc.lat, Longitude: tc.lng}, Category: tc.category,
			})
			require.NoError(t, err)
			require.Equal(t, tc.team, explained.GetDecision().GetTeamId(), "ExplainRoute must agree with RouteTicket")
		})
	}
}

func TestGBVWithoutSAPSTeamGoesToTriageNeverToOtherTeams(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	e.team("TST", &routingv1.Team{Name: "GBV desk", Category: gbv, ServiceArea: square(25, -30, 26, -29)})
	e.team("TST", &routingv1.Team{Name: "Water", Category: water, ServiceArea: square(25, -30, 26, -29)})

	resp := e.route("TST", gbv, -29.5, 25.5)
	require.Empty(t, resp.GetAssignment().GetTeamId())
	require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_TRIAGE, resp.GetAssignment().GetReason())
	require.Contains(t, resp.GetDecision().GetExplanation(), "SAPS")
}

func TestPointsOnASharedBorderRouteDeterministically(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	west := e.team("TST", &routingv1.Team{Name: "West", Category: water, ServiceArea: square(25, -30, 25.5, -29)})
	east := e.team("TST", &routingv1.Team{Name: "East", Category: water, ServiceArea: square(25.5, -30, 26, -29)})
	first := west.GetId()
	if east.GetId() < first {
		first = east.GetId()
	}
	for range 3 {
		resp := e.route("TST", water, -29.5, 25.5)
		require.Equal(t, first, resp.GetAssignment().GetTeamId(), "equal areas on a shared edge: lowest id wins")
		require.Len(t, resp.GetDecision().GetCandidates(), 2, "both sides contain a border point")
		for _, c := range resp.GetDecision().GetCandidates() {
			require.True(t, c.GetContainsPoint())
		}
	}
}

func TestRouteTicketIsIdempotentPerTicket(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	e.team("TST", &routingv1.Team{Name: "Water", Category: water, ServiceArea: square(25, -30, 26, -29)})
	req := &routingv1.RouteTicketRequest{Tenant: "TST", TicketId: newID(), Category: water,
		Location: &commonv1.LatLng{Latitude: -29.5, Longitude: 25.5}}

	first, err := e.internal.RouteTicket(service(t), req)
	require.NoError(t, err)
	again, err := e.internal.RouteTicket(service(t), req)
	require.NoError(t, err)
	require.Equal(t, first.GetAssignment().GetId(), again.GetAssignment().GetId())
	require.Equal(t, first.GetDecision().GetExplanation(), again.GetDecision().GetExplanation())

	// Concurrent calls for another ticket converge on one assignment.
	req.TicketId = newID()
	ids := make(chan string, 8)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			resp, err := e.internal.RouteTicket(service(t), req)
			errs <- err
			ids <- resp.GetAssignment().GetId()
		}()
	}
	seen := map[string]bool{}
	for range 8 {
		require.NoError(t, <-errs)
		seen[<-ids] = true
	}
	require.Len(t, seen, 1, "every concurrent call returns the same assignment")
	require.Equal(t, 1, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1`, req.TicketId))
	require.Equal(t, 1, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1 AND is_current`, req.TicketId))
	require.Equal(t, 1, e.count(`SELECT count(*) FROM routing.river_job
		WHERE kind = 'routing.record_assignment' AND args->>'ticket_id' = $1`, req.TicketId),
		"exactly one delivery job per assignment, inserted with it")
}

func TestMembersGetTicketsByFewestOpen(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	e.team("TST", &routingv1.Team{Name: "Water", Category: water, ServiceArea: square(25, -30, 26, -29),
		Members: []*routingv1.TeamMember{{UserId: "bongi"}, {UserId: "anna"}}})

	r1 := e.route("TST", water, -29.5, 25.5)
	r2 := e.route("TST", water, -29.5, 25.5)
	require.Equal(t, "anna", r1.GetAssignment().GetAssignedPersonId(), "ties go to the lowest user id")
	require.Equal(t, "bongi", r2.GetAssignment().GetAssignedPersonId())

	// Anna's ticket is resolved, so she has the fewest open tickets again.
	resp, err := e.internal.RecordTicketStatus(service(t), &routingv1.RecordTicketStatusRequest{
		Tenant: "TST", TicketId: r1.GetAssignment().GetTicketId(), Status: commonv1.TicketStatus_TICKET_STATUS_RESOLVED, Sequence: 3,
	})
	require.NoError(t, err)
	require.True(t, resp.GetApplied())
	r3 := e.route("TST", water, -29.5, 25.5)
	require.Equal(t, "anna", r3.GetAssignment().GetAssignedPersonId())
	require.Contains(t, r3.GetDecision().GetExplanation(), "anna")

	// Anna now has one open ticket and Bongi one: ExplainRoute names who
	// would get the next, by the same rule, and assigns nothing.
	explain := func() string {
		resp, err := e.public.ExplainRoute(admin(t, "TST"), &routingv1.ExplainRouteRequest{
			Location: &commonv1.LatLng{Latitude: -29.5, Longitude: 25.5}, Category: water})
		require.NoError(t, err)
		require.Contains(t, resp.GetDecision().GetExplanation(), resp.GetDecision().GetAssignedPersonId())
		return resp.GetDecision().GetAssignedPersonId()
	}
	require.Equal(t, "anna", explain(), "ties go to the lowest user id")
	e.route("TST", water, -29.5, 25.5)
	require.Equal(t, "bongi", explain(), "bongi has fewer open tickets once anna has two")
	require.Equal(t, 4, e.count(`SELECT count(*) FROM routing.assignments`))
}

func TestBatchRouteTicketsRoutesEachLikeItsOwnCallInOneTransaction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	west := e.team("TST", &routingv1.Team{Name: "Water west", Category: water, ServiceArea: square(25, -30, 25.5, -29)})
	roadsTeam := e.team("TST", &routingv1.Team{Name: "Roads", Category: roads})
	svc := serviceFor(t, "TST")
	routed := e.route("TST", water, -29.9, 25.1)
	req := func(id string, cat commonv1.Category, lat, lng float64) *routingv1.RouteTicketRequest {
		return &routingv1.RouteTicketRequest{Tenant: "TST", TicketId: id, Category: cat, Location: &commonv1.LatLng{Latitude: lat, Longitude: lng}}
	}
	a, b := newID(), newID()
	// A ticket routed before is in the batch again, and a twice: each is
	// routed once, and answers with its one routing assignment.
	res, err := e.internal.BatchRouteTickets(svc, &routingv1.BatchRouteTicketsRequest{Tenant: "TST", Requests: []*routingv1.RouteTicketRequest{
		req(a, water, -29.9, 25.1), req(b, roads, -29.5, 25.5), req(routed.GetAssignment().GetTicketId(), water, -29.9, 25.1), req(a, water, -29.9, 25.1)}})
	require.NoError(t, err)
	got := res.GetResponses()
	require.Len(t, got, 4)
	require.Equal(t, west.GetId(), got[0].GetAssignment().GetTeamId())
	require.Equal(t, roadsTeam.GetId(), got[1].GetAssignment().GetTeamId())
	require.Equal(t, routed.GetAssignment().GetId(), got[2].GetAssignment().GetId(), "the earlier routing is returned unchanged")
	require.Equal(t, got[0].GetAssignment().GetId(), got[3].GetAssignment().GetId(), "a ticket twice in a batch is routed once")
	require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_FALLBACK_NEAREST, got[1].GetDecision().GetReason())
	for _, id := range []string{a, b} {
		require.Equal(t, 1, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1 AND is_current`, id))
		require.Equal(t, 1, e.count(`SELECT count(*) FROM routing.river_job WHERE kind = 'routing.record_assignment' AND args->>'ticket_id' = $1`, id),
			"one job tells the ticket service")
	}

	t.Run("an invalid item refuses the whole batch: nothing is routed", func(t *testing.T) {
		c := newID()
		_, err := e.internal.BatchRouteTickets(svc, &routingv1.BatchRouteTicketsRequest{Tenant: "TST", Requests: []*routingv1.RouteTicketRequest{
			req(c, water, -29.9, 25.1), req(newID(), water, 95, 25.1)}})
		require.Equal(t, codes.InvalidArgument, status.Code(err), "%v", err)
		require.Zero(t, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1`, c))
	})
	t.Run("an item of another tenant or without a category is refused", func(t *testing.T) {
		other := req(newID(), water, -29.9, 25.1)
		other.Tenant = "JHB"
		_, err := e.internal.BatchRouteTickets(svc, &routingv1.BatchRouteTicketsRequest{Tenant: "TST", Requests: []*routingv1.RouteTicketRequest{other}})
		require.Equal(t, codes.InvalidArgument, status.Code(err))
		require.Contains(t, err.Error(), "requests[0].tenant")
		_, err = e.internal.BatchRouteTickets(svc, &routingv1.BatchRouteTicketsRequest{Tenant: "TST", Requests: []*routingv1.RouteTicketRequest{
			req(newID(), commonv1.Category_CATEGORY_UNSPECIFIED, -29.9, 25.1)}})
		require.Equal(t, codes.InvalidArgument, status.Code(err))
		require.Contains(t, err.Error(), "invalid requests[0].category")
	})
}
