package server_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/auth"
)

func TestEscalateTicketMovesToTargetOncePerLevel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	boss := e.team("TST", &routingv1.Team{Name: "Water bosses", Category: water, ManagerId: "chief"})
	crew := e.team("TST", &routingv1.Team{Name: "Water crew", Category: water, ManagerId: "lead",
		EscalationTeamId: boss.GetId(), ServiceArea: square(25, -30, 26, -29)})
	solo := e.team("TST", &routingv1.Team{Name: "Roads crew", Category: roads, ManagerId: "roads-lead",
		ServiceArea: square(25, -30, 26, -29)})
	routed := e.route("TST", water, -29.5, 25.5)
	require.Equal(t, crew.GetId(), routed.GetAssignment().GetTeamId())
	ticket := routed.GetAssignment().GetTicketId()

	esc := func(level int32) (*routingv1.EscalateTicketResponse, error) {
		return e.internal.EscalateTicket(service(t), &routingv1.EscalateTicketRequest{Tenant: "TST", TicketId: ticket,
			Level: level, Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH, Note: "resolution clock breached"})
	}
	first, err := esc(1)
	require.NoError(t, err)
	require.Equal(t, boss.GetId(), first.GetAssignment().GetTeamId(), "goes to the escalation team")
	require.Equal(t, "chief", first.GetAssignment().GetAssignedPersonId(), "its manager takes it")
	require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH, first.GetAssignment().GetReason())
	require.EqualValues(t, 1, first.GetAssignment().GetEscalationLevel())

	repeat, err := esc(1)
	require.NoError(t, err)
	require.Equal(t, first.GetAssignment().GetId(), repeat.GetAssignment().GetId(), "idempotent per (ticket, level)")
	require.Equal(t, 1, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1 AND is_current`, ticket))
	require.Equal(t, 2, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1`, ticket))

	// Without an escalation team the ticket stays with its team's manager.
	other := e.route("TST", roads, -29.5, 25.5)
	resp, err := e.internal.EscalateTicket(service(t), &routingv1.EscalateTicketRequest{Tenant: "TST",
		TicketId: other.GetAssignment().GetTicketId(), Level: 1, Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_ESCALATION})
	require.NoError(t, err)
	require.Equal(t, solo.GetId(), resp.GetAssignment().GetTeamId())
	require.Equal(t, "roads-lead", resp.GetAssignment().GetAssignedPersonId())

	_, err = e.internal.EscalateTicket(service(t), &routingv1.EscalateTicketRequest{Tenant: "TST", TicketId: newID(),
		Level: 1, Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH})
	requireCode(t, err, codes.FailedPrecondition, "not routed")
	_, err = e.internal.EscalateTicket(service(t), &routingv1.EscalateTicketRequest{Tenant: "TST", TicketId: ticket,
		Level: 2, Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_MANUAL_OVERRIDE})
	requireCode(t, err, codes.InvalidArgument, "reason")
	_, err = e.internal.EscalateTicket(admin(t, "TST"), &routingv1.EscalateTicketRequest{Tenant: "TST", TicketId: ticket,
		Level: 2, Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_ESCALATION})
	requireCode(t, err, codes.PermissionDenied)

	require.Equal(t, 2, e.count(`SELECT count(*) FROM routing.river_job WHERE args->>'ticket_id' = $1`, ticket),
		"one delivery job per assignment change: route, escalation (not the repeat)")
}

func TestReassignTicketByHand(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	e.municipality("OTH")
	from := e.team("TST", &routingv1.Team{Name: "Water", Category: water, ServiceArea: square(25, -30, 26, -29)})
	to := e.team("TST", &routingv1.Team{Name: "Water night shift", Category: water,
		Members: []*routingv1.TeamMember{{UserId: "thabo"}}})
	foreign := e.team("OTH", &routingv1.Team{Name: "Water", Category: water})
	ticket := e.route("TST", water, -29.5, 25.5).GetAssignment().GetTicketId()
	manager := as(t, "TST", "mgr-1", auth.RoleTeamManager)

	tests := []struct {
		name string
		req  *routingv1.ReassignTicketRequest
		code codes.Code
		frag string
	}{
		{"a reassignment without a note is refused", &routingv1.ReassignTicketRequest{TicketId: ticket, TeamId: to.GetId()}, codes.InvalidArgument, "note"},
		{"a person outside the team is refused", &routingv1.ReassignTicketRequest{TicketId: ticket, TeamId: to.GetId(), PersonId: "stranger", Note: "x"}, codes.InvalidArgument, "person_id"},
		{"a team of another municipality is refused", &routingv1.ReassignTicketRequest{TicketId: ticket, TeamId: foreign.GetId(), Note: "x"}, codes.InvalidArgument, "team_id"},
		{"an unknown ticket is not found", &routingv1.ReassignTicketRequest{TicketId: newID(), TeamId: to.GetId(), Note: "x"}, codes.NotFound, "ticket"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.public.ReassignTicket(manager, tc.req)
			requireCode(t, err, tc.code, tc.frag)
		})
	}
	_, err := e.public.ReassignTicket(as(t, "TST", "agent-1", auth.RoleAgent),
		&routingv1.ReassignTicketRequest{TicketId: ticket, TeamId: to.GetId(), Note: "x"})
	requireCode(t, err, codes.PermissionDenied)
	_, err = e.public.ReassignTicket(as(t, "OTH", "mgr-2", auth.RoleTeamManager),
		&routingv1.ReassignTicketRequest{TicketId: ticket, TeamId: foreign.GetId(), Note: "x"})
	requireCode(t, err, codes.NotFound, "not found") // another municipality's manager cannot see it

	resp, err := e.public.ReassignTicket(manager, &routingv1.ReassignTicketRequest{
		TicketId: ticket, TeamId: to.GetId(), PersonId: "thabo", Note: "after-hours burst"})
	require.NoError(t, err)
	got := resp.GetAssignment()
	require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_MANUAL_OVERRIDE, got.GetReason())
	require.Equal(t, "mgr-1", got.GetAssignedBy())
	require.Equal(t, "thabo", got.GetAssignedPersonId())
	require.Equal(t, "after-hours burst", got.GetNote())

	hist, err := e.public.ListAssignments(manager, &routingv1.ListAssignmentsRequest{TicketId: ticket})
	require.NoError(t, err)
	require.Len(t, hist.GetAssignments(), 2)
	require.Equal(t, from.GetId(), hist.GetAssignments()[0].GetTeamId())
	require.False(t, hist.GetAssignments()[0].GetIsCurrent())
	require.True(t, hist.GetAssignments()[1].GetIsCurrent())

	queue, err := e.public.ListTeamQueue(manager, &routingv1.ListTeamQueueRequest{TeamId: to.GetId()})
	require.NoError(t, err)
	require.Len(t, queue.GetTickets(), 1)
	require.Equal(t, commonv1.TicketStatus_TICKET_STATUS_OPEN, queue.GetTickets()[0].GetStatus())
	old, err := e.public.ListTeamQueue(manager, &routingv1.ListTeamQueueRequest{TeamId: from.GetId()})
	require.NoError(t, err)
	require.Empty(t, old.GetTickets())

	_, err = e.public.ListTeamQueue(as(t, "OTH", "agent-2", auth.RoleAgent), &routingv1.ListTeamQueueRequest{TeamId: to.GetId()})
	requireCode(t, err, codes.NotFound)
	_, err = e.public.ListAssignments(as(t, "OTH", "agent-2", auth.RoleAgent), &routingv1.ListAssignmentsRequest{TicketId: ticket})
	requireCode(t, err, codes.NotFound)
}

func TestGBVAssignmentsAreShownOnlyToSAPSLiaisons(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	saps := e.team("TST", &routingv1.Team{Name: "SAPS", Category: gbv, IsSaps: true, ServiceArea: square(25, -30, 26, -29)})
	saps2 := e.team("TST", &routingv1.Team{Name: "SAPS north", Category: gbv, IsSaps: true})
	plain := e.team("TST", &routingv1.Team{Name: "Social workers", Category: gbv})
	ticket := e.route("TST", gbv, -29.5, 25.5).GetAssignment().GetTicketId()
	liaison := as(t, "TST", "liaison", auth.RoleSAPSLiaison)

	for _, roles := range [][]string{{auth.RoleAgent}, {auth.RoleTeamManager}, {auth.RoleMunicipalAdmin}} {
		ctx := as(t, "TST", "someone", roles...)
		q, err := e.public.ListTeamQueue(ctx, &routingv1.ListTeamQueueRequest{TeamId: saps.GetId()})
		require.NoError(t, err)
		require.Empty(t, q.GetTickets(), "role %v must not see GBV tickets", roles)
		_, err = e.public.ListAssignments(ctx, &routingv1.ListAssignmentsRequest{TicketId: ticket})
		requireCode(t, err, codes.NotFound)
	}
	q, err := e.public.ListTeamQueue(liaison, &routingv1.ListTeamQueueRequest{TeamId: saps.GetId()})
	require.NoError(t, err)
	require.Len(t, q.GetTickets(), 1)
	require.Equal(t, gbv, q.GetTickets()[0].GetCategory())

	_, err = e.public.ReassignTicket(as(t, "TST", "mgr", auth.RoleTeamManager),
		&routingv1.ReassignTicketRequest{TicketId: ticket, TeamId: saps2.GetId(), Note: "x"})
	requireCode(t, err, codes.NotFound)
	_, err = e.public.ReassignTicket(liaison, &routingv1.ReassignTicketRequest{TicketId: ticket, TeamId: plain.GetId(), Note: "x"})
	requireCode(t, err, codes.InvalidArgument, "SAPS")
	resp, err := e.public.ReassignTicket(liaison, &routingv1.ReassignTicketRequest{TicketId: ticket, TeamId: saps2.GetId(), Note: "closer station"})
	require.NoError(t, err)
	require.Equal(t, saps2.GetId(), resp.GetAssignment().GetTeamId())
}

func TestTriageQueueAndTicketStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	a := e.route("TST", waste, -29.5, 25.5).GetAssignment().GetTicketId()
	b := e.route("TST", waste, -29.4, 25.4).GetAssignment().GetTicketId()
	staff := as(t, "TST", "agent", auth.RoleAgent)

	record := func(ticket string, st commonv1.TicketStatus, seq int64) bool {
		resp, err := e.internal.RecordTicketStatus(service(t), &routingv1.RecordTicketStatusRequest{
			Tenant: "TST", TicketId: ticket, Status: st, Sequence: seq})
		require.NoError(t, err)
		return resp.GetApplied()
	}
	require.True(t, record(a, commonv1.TicketStatus_TICKET_STATUS_CLOSED, 5))
	require.False(t, record(a, commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, 4), "stale updates are ignored")
	require.False(t, record(a, commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, 5), "a repeat is ignored")

	q, err := e.public.ListTriageQueue(staff, &routingv1.ListTriageQueueRequest{})
	require.NoError(t, err)
	require.Len(t, q.GetTickets(), 1, "closed tickets leave the queue")
	require.Equal(t, b, q.GetTickets()[0].GetTicketId())

	page, err := e.public.ListTriageQueue(staff, &routingv1.ListTriageQueueRequest{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, page.GetTickets(), 1)
	require.Empty(t, page.GetNextPageToken())

	_, err = e.public.ListTriageQueue(as(t, "OTH", "agent", auth.RoleAgent), &routingv1.ListTriageQueueRequest{Tenant: "TST"})
	requireCode(t, err, codes.PermissionDenied)
	_, err = e.public.ListTriageQueue(as(t, "TST", "citizen", auth.RoleCitizen), &routingv1.ListTriageQueueRequest{})
	requireCode(t, err, codes.PermissionDenied)
	_, err = e.internal.RecordTicketStatus(service(t), &routingv1.RecordTicketStatusRequest{Tenant: "TST", TicketId: a, Sequence: 9})
	requireCode(t, err, codes.InvalidArgument, "status")
}

func TestBatchRecordTicketStatusAppliesEachLikeItsOwnCallInOneTransaction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	a := e.route("TST", waste, -29.5, 25.5).GetAssignment().GetTicketId()
	b := e.route("TST", waste, -29.4, 25.4).GetAssignment().GetTicketId()
	staff := as(t, "TST", "agent", auth.RoleAgent)
	status := func(ticket string, st commonv1.TicketStatus, seq int64) *routingv1.RecordTicketStatusRequest {
		return &routingv1.RecordTicketStatusRequest{Tenant: "TST", TicketId: ticket, Status: st, Sequence: seq}
	}
	triage := func() []string { return e.triage(staff) }
	closed, progress := commonv1.TicketStatus_TICKET_STATUS_CLOSED, commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS

	// a's newer status comes before its older one in the batch, and b's is
	// there twice: each applies as it would alone, the newest winning.
	res, err := e.internal.BatchRecordTicketStatus(service(t), &routingv1.BatchRecordTicketStatusRequest{Tenant: "TST",
		Requests: []*routingv1.RecordTicketStatusRequest{status(a, closed, 5), status(b, progress, 2), status(a, progress, 4), status(b, progress, 2)}})
	require.NoError(t, err)
	require.Equal(t, []bool{true, true, false, false}, res.GetApplied())
	require.Equal(t, []string{b}, triage(), "a is closed: the newer status stays")

	t.Run("a batch with an item that fails changes nothing", func(t *testing.T) {
		_, err := e.internal.BatchRecordTicketStatus(service(t), &routingv1.BatchRecordTicketStatusRequest{Tenant: "TST",
			Requests: []*routingv1.RecordTicketStatusRequest{status(b, closed, 9), {Tenant: "TST", TicketId: a, Sequence: 10}}})
		requireCode(t, err, codes.InvalidArgument, "status")
		require.Equal(t, []string{b}, triage())
	})
	t.Run("an item of another tenant is refused by its field", func(t *testing.T) {
		other := status(b, closed, 9)
		other.Tenant = "OTH"
		_, err := e.internal.BatchRecordTicketStatus(service(t), &routingv1.BatchRecordTicketStatusRequest{Tenant: "TST",
			Requests: []*routingv1.RecordTicketStatusRequest{status(b, closed, 9), other}})
		requireCode(t, err, codes.InvalidArgument, "requests[1].tenant")
		_, err = e.internal.BatchRecordTicketStatus(service(t), &routingv1.BatchRecordTicketStatusRequest{Tenant: "TST"})
		requireCode(t, err, codes.InvalidArgument, "requests")
		require.Equal(t, []string{b}, triage())
	})
}

func TestARouteRecordsTheCreatedStatusItCarriesAsItsOwnReportWould(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	staff := as(t, "TST", "agent", auth.RoleAgent)
	closed, open := commonv1.TicketStatus_TICKET_STATUS_CLOSED, commonv1.TicketStatus_TICKET_STATUS_OPEN
	route := func(ticket string, st commonv1.TicketStatus, seq int64) *routingv1.RouteTicketRequest {
		return &routingv1.RouteTicketRequest{Tenant: "TST", TicketId: ticket, Category: waste,
			Location: &commonv1.LatLng{Latitude: -29.5, Longitude: 25.5},
			Status: &routingv1.RecordTicketStatusRequest{Tenant: "TST", TicketId: ticket, Status: st, Sequence: seq,
				Priority: commonv1.Priority_PRIORITY_P2_HIGH}}
	}
	triage := func() []string { return e.triage(staff) }
	status := func(ticket string) (st string, seq int64, priority string) {
		require.NoError(t, e.pool.QueryRow(t.Context(), `SELECT status, sequence, priority FROM routing.ticket_status WHERE ticket_id = $1`,
			ticket).Scan(&st, &seq, &priority))
		return st, seq, priority
	}
	a, b, c := newID(), newID(), newID()

	// a alone, b and c in one batch; a and c are closed at creation, so
	// they are not in the triage queue although routed to it.
	_, err := e.internal.RouteTicket(service(t), route(a, closed, 1))
	require.NoError(t, err)
	_, err = e.internal.BatchRouteTickets(service(t), &routingv1.BatchRouteTicketsRequest{Tenant: "TST",
		Requests: []*routingv1.RouteTicketRequest{route(c, closed, 1), route(b, open, 1)}})
	require.NoError(t, err)
	require.Equal(t, []string{b}, triage())
	st, seq, priority := status(a)
	require.Equal(t, []any{"closed", int64(1), "p2_high"}, []any{st, seq, priority})

	// A later report wins over the route's; a route delivered again after
	// it, or an older report, changes nothing.
	res, err := e.internal.RecordTicketStatus(service(t), &routingv1.RecordTicketStatusRequest{Tenant: "TST", TicketId: a, Status: open, Sequence: 2})
	require.NoError(t, err)
	require.True(t, res.GetApplied())
	_, err = e.internal.RouteTicket(service(t), route(a, closed, 1))
	require.NoError(t, err)
	st, seq, _ = status(a)
	require.Equal(t, []any{"open", int64(2)}, []any{st, seq})
	require.ElementsMatch(t, []string{a, b}, triage())

	t.Run("a bad status names its field and routes nothing", func(t *testing.T) {
		d := newID()
		other := route(d, open, 1)
		other.Status.TicketId = a
		_, err := e.internal.RouteTicket(service(t), other)
		requireCode(t, err, codes.InvalidArgument, "status", "ticket_id")
		_, err = e.internal.RouteTicket(service(t), route(d, commonv1.TicketStatus_TICKET_STATUS_UNSPECIFIED, 1))
		requireCode(t, err, codes.InvalidArgument, "status.status")
		_, err = e.internal.RouteTicket(service(t), route(d, open, -1))
		requireCode(t, err, codes.InvalidArgument, "status.sequence")
		_, err = e.internal.BatchRouteTickets(service(t), &routingv1.BatchRouteTicketsRequest{Tenant: "TST",
			Requests: []*routingv1.RouteTicketRequest{route(newID(), open, 1), route(d, commonv1.TicketStatus_TICKET_STATUS_UNSPECIFIED, 1)}})
		requireCode(t, err, codes.InvalidArgument, "requests[1].status.status")
		require.Equal(t, 0, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1`, d))
		require.Equal(t, 0, e.count(`SELECT count(*) FROM routing.ticket_status WHERE ticket_id = $1`, d))
		require.ElementsMatch(t, []string{a, b}, triage())
	})
}

func TestQueuesPutTheMostUrgentFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	team := e.team("TST", &routingv1.Team{Name: "Water", Category: water, ServiceArea: square(25, -30, 26, -29)})
	staff := as(t, "TST", "agent", auth.RoleAgent)
	now := time.Now().UTC().Truncate(time.Second)
	at := func(h int) *timestamppb.Timestamp { return timestamppb.New(now.Add(time.Duration(h) * time.Hour)) }
	p1, p2, p3 := commonv1.Priority_PRIORITY_P1_CRITICAL, commonv1.Priority_PRIORITY_P2_HIGH, commonv1.Priority_PRIORITY_P3_MEDIUM
	record := func(ticket string, seq int64, p commonv1.Priority, response, resolution *timestamppb.Timestamp) bool {
		resp, err := e.internal.RecordTicketStatus(service(t), &routingv1.RecordTicketStatusRequest{Tenant: "TST", TicketId: ticket,
			Status: commonv1.TicketStatus_TICKET_STATUS_OPEN, Sequence: seq, Priority: p,
			ResponseDeadline: response, ResolutionDeadline: resolution})
		require.NoError(t, err)
		return resp.GetApplied()
	}
	order := func(q []*routingv1.QueuedTicket) []string {
		var ids []string
		for _, x := range q {
			ids = append(ids, x.GetTicketId())
		}
		return ids
	}
	teamQueue := func() []*routingv1.QueuedTicket {
		q, err := e.public.ListTeamQueue(staff, &routingv1.ListTeamQueueRequest{TeamId: team.GetId()})
		require.NoError(t, err)
		return q.GetTickets()
	}

	// Created in this order: the P1 last.
	none := e.route("TST", water, -29.5, 25.5).GetAssignment().GetTicketId()
	late := e.route("TST", water, -29.5, 25.5).GetAssignment().GetTicketId()
	soon := e.route("TST", water, -29.5, 25.5).GetAssignment().GetTicketId()
	noClock := e.route("TST", water, -29.5, 25.5).GetAssignment().GetTicketId()
	critical := e.route("TST", water, -29.5, 25.5).GetAssignment().GetTicketId()
	require.Equal(t, []string{none, late, soon, noClock, critical}, order(teamQueue()), "without priorities: oldest first")

	require.True(t, record(late, 2, p3, nil, at(48)))
	// The response deadline is the nearer breach of soon's.
	require.True(t, record(soon, 2, p3, at(4), at(72)))
	require.True(t, record(noClock, 2, p3, nil, nil))
	require.True(t, record(critical, 2, p1, nil, at(96)))
	q := teamQueue()
	require.Equal(t, []string{critical, soon, late, noClock, none}, order(q),
		"P1 first, ties by the nearest deadline, none last; no priority after P4")
	require.Equal(t, p1, q[0].GetPriority())
	require.Equal(t, at(96).AsTime(), q[0].GetBreachTime().AsTime())
	require.Equal(t, at(4).AsTime(), q[1].GetBreachTime().AsTime(), "the earliest running deadline")
	require.Nil(t, q[3].GetBreachTime())
	require.Equal(t, commonv1.Priority_PRIORITY_UNSPECIFIED, q[4].GetPriority())

	// A priority change re-sorts; the report of an earlier change that
	// arrives after it changes nothing.
	require.True(t, record(late, 5, p2, nil, at(48)))
	require.False(t, record(late, 4, p3, nil, at(1)), "an earlier sequence delivered late is ignored")
	require.False(t, record(late, 5, p3, nil, at(1)), "a repeat is ignored")
	require.Equal(t, []string{critical, late, soon, noClock, none}, order(teamQueue()))

	// The triage queue sorts the same way.
	lost := e.route("TST", waste, -29.5, 25.5).GetAssignment().GetTicketId()
	urgent := e.route("TST", waste, -29.5, 25.5).GetAssignment().GetTicketId()
	require.True(t, record(urgent, 1, p2, nil, at(10)))
	tq, err := e.public.ListTriageQueue(staff, &routingv1.ListTriageQueueRequest{})
	require.NoError(t, err)
	require.Equal(t, []string{urgent, lost}, order(tq.GetTickets()))
	page, err := e.public.ListTriageQueue(staff, &routingv1.ListTriageQueueRequest{PageSize: 1})
	require.NoError(t, err)
	require.Equal(t, []string{urgent}, order(page.GetTickets()), "pages follow the order")

	_, err = e.internal.RecordTicketStatus(service(t), &routingv1.RecordTicketStatusRequest{Tenant: "TST", TicketId: lost,
		Status: commonv1.TicketStatus_TICKET_STATUS_OPEN, Sequence: 9, Priority: commonv1.Priority(42)})
	requireCode(t, err, codes.InvalidArgument, "priority")
}
