package server_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/vocab"
)

func TestInternalRPCsMirrorRoutingAndSLA(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tk := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Leak"))
	gbv := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_GBV, "private"))
	svc := service(t)
	t0 := time.Now().UTC().Truncate(time.Second)
	assign := func(id, assignment, reason string, level int32, at time.Time) (*ticketv1.RecordAssignmentResponse, error) {
		return h.internal.RecordAssignment(svc, &ticketv1.RecordAssignmentRequest{Tenant: "CPT", TicketId: id,
			AssignmentId: assignment, TeamId: "team-" + assignment, TeamName: "Team " + assignment, Reason: vocab.MustParse[commonv1.AssignmentReason](reason),
			EscalationLevel: level, AssignTime: timestamppb.New(at)})
	}
	get := func(id string) *ticketv1.Ticket {
		r, err := h.public.GetTicket(agent(t, "CPT"), &ticketv1.GetTicketRequest{Id: id})
		require.NoError(t, err)
		return r.GetTicket()
	}

	t.Run("an assignment shows on the ticket and a redelivery is not applied", func(t *testing.T) {
		r, err := assign(tk.GetId(), "a1", "geospatial_routing", 0, t0)
		require.NoError(t, err)
		require.True(t, r.GetApplied())
		r, err = assign(tk.GetId(), "a1", "geospatial_routing", 0, t0)
		require.NoError(t, err)
		require.False(t, r.GetApplied())
		got := get(tk.GetId())
		require.Equal(t, "team-a1", got.GetAssignedTeamId())
		require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_GEOSPATIAL_ROUTING, got.GetAssignmentReason())
	})
	t.Run("an older assignment is ignored", func(t *testing.T) {
		r, err := assign(tk.GetId(), "a0", "triage", 0, t0.Add(-time.Minute))
		require.NoError(t, err)
		require.False(t, r.GetApplied())
		require.Equal(t, "team-a1", get(tk.GetId()).GetAssignedTeamId())
	})
	t.Run("an sla_breach assignment escalates the ticket", func(t *testing.T) {
		r, err := assign(tk.GetId(), "a2", "sla_breach", 1, t0.Add(time.Hour))
		require.NoError(t, err)
		require.True(t, r.GetApplied())
		got := get(tk.GetId())
		require.Equal(t, int32(1), got.GetEscalationLevel())
		require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH, got.GetEscalationReason())
		require.True(t, got.GetEscalatedAt().AsTime().Equal(t0.Add(time.Hour)))
	})
	t.Run("deadlines apply only for a newer revision and are recorded in history when they change", func(t *testing.T) {
		req := &ticketv1.RecordDeadlinesRequest{Tenant: "CPT", TicketId: tk.GetId(), Revision: 2,
			ResponseDeadline: timestamppb.New(t0.Add(24 * time.Hour)), ResolutionDeadline: timestamppb.New(t0.Add(168 * time.Hour))}
		r, err := h.internal.RecordDeadlines(svc, req)
		require.NoError(t, err)
		require.True(t, r.GetApplied())
		r, err = h.internal.RecordDeadlines(svc, req)
		require.NoError(t, err)
		require.False(t, r.GetApplied())
		req.Revision = 1
		r, err = h.internal.RecordDeadlines(svc, req)
		require.NoError(t, err)
		require.False(t, r.GetApplied())
		require.True(t, get(tk.GetId()).GetResolutionDeadline().AsTime().Equal(t0.Add(168*time.Hour)))
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.history WHERE ticket_id = $1 AND kind = 'deadlines_set'`, tk.GetId()))
	})
	t.Run("the service role may update a GBV ticket's assignment", func(t *testing.T) {
		r, err := assign(gbv.GetId(), "g1", "geospatial_routing", 0, t0)
		require.NoError(t, err)
		require.True(t, r.GetApplied())
	})
	t.Run("only the service role may call internal RPCs", func(t *testing.T) {
		_, err := h.internal.RecordAssignment(agent(t, "CPT"), &ticketv1.RecordAssignmentRequest{})
		requireCode(t, err, codes.PermissionDenied)
		_, err = h.internal.RecordDeadlines(admin(t), &ticketv1.RecordDeadlinesRequest{})
		requireCode(t, err, codes.PermissionDenied)
	})
	t.Run("bad internal input is refused by field and unknown tickets are NotFound", func(t *testing.T) {
		_, err := assign(tk.GetId(), "a9", "whim", 0, t0)
		requireField(t, err, "reason")
		_, err = h.internal.RecordDeadlines(svc, &ticketv1.RecordDeadlinesRequest{Tenant: "CPT", TicketId: tk.GetId()})
		requireField(t, err, "revision")
		_, err = h.internal.RecordDeadlines(serviceFor(t, "JHB"), &ticketv1.RecordDeadlinesRequest{Tenant: "JHB", TicketId: tk.GetId(), Revision: 9})
		requireCode(t, err, codes.NotFound)
	})
}

func TestBatchRecordDeadlinesAppliesEachLikeItsOwnCallInOneTransaction(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	svc := service(t)
	t0 := time.Now().UTC().Truncate(time.Second)
	a := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Leak"))
	b := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_ROADS, "Pothole"))
	deadlines := func(id string, rev int64, hours int) *ticketv1.RecordDeadlinesRequest {
		return &ticketv1.RecordDeadlinesRequest{Tenant: "CPT", TicketId: id, Revision: rev,
			ResponseDeadline: timestamppb.New(t0.Add(time.Hour)), ResolutionDeadline: timestamppb.New(t0.Add(time.Duration(hours) * time.Hour))}
	}
	history := func(id string) int {
		return h.count(t, `SELECT count(*) FROM ticket.history WHERE ticket_id = $1 AND kind = 'deadlines_set'`, id)
	}
	resolution := func(id string) time.Time {
		r, err := h.public.GetTicket(agent(t, "CPT"), &ticketv1.GetTicketRequest{Id: id})
		require.NoError(t, err)
		return r.GetTicket().GetResolutionDeadline().AsTime()
	}

	// b's older revision comes after its newer one in the same batch, and
	// a's redelivery is in it too: each applies as it would alone.
	r, err := h.internal.BatchRecordDeadlines(svc, &ticketv1.BatchRecordDeadlinesRequest{Tenant: "CPT",
		Requests: []*ticketv1.RecordDeadlinesRequest{deadlines(a.GetId(), 1, 24), deadlines(b.GetId(), 3, 48), deadlines(b.GetId(), 2, 72), deadlines(a.GetId(), 1, 24)}})
	require.NoError(t, err)
	var applied []bool
	for _, x := range r.GetResponses() {
		applied = append(applied, x.GetApplied())
	}
	require.Equal(t, []bool{true, true, false, false}, applied)
	require.True(t, resolution(a.GetId()).Equal(t0.Add(24*time.Hour)))
	require.True(t, resolution(b.GetId()).Equal(t0.Add(48*time.Hour)), "the newer revision stays")
	require.Equal(t, 1, history(a.GetId()))
	require.Equal(t, 1, history(b.GetId()))

	t.Run("a batch with an item that fails changes nothing", func(t *testing.T) {
		_, err := h.internal.BatchRecordDeadlines(svc, &ticketv1.BatchRecordDeadlinesRequest{Tenant: "CPT",
			Requests: []*ticketv1.RecordDeadlinesRequest{deadlines(a.GetId(), 5, 96), deadlines("00000000-0000-4000-8000-000000000000", 1, 24)}})
		requireCode(t, err, codes.NotFound)
		require.True(t, resolution(a.GetId()).Equal(t0.Add(24*time.Hour)), "the item before the missing ticket rolled back")
		require.Equal(t, 1, history(a.GetId()))
	})
	t.Run("two newer revisions of one ticket in a batch both apply, in turn", func(t *testing.T) {
		r, err := h.internal.BatchRecordDeadlines(svc, &ticketv1.BatchRecordDeadlinesRequest{Tenant: "CPT",
			Requests: []*ticketv1.RecordDeadlinesRequest{deadlines(a.GetId(), 7, 30), deadlines(a.GetId(), 8, 36), deadlines(a.GetId(), 8, 36)}})
		require.NoError(t, err)
		var applied []bool
		for _, x := range r.GetResponses() {
			applied = append(applied, x.GetApplied())
		}
		require.Equal(t, []bool{true, true, false}, applied)
		require.True(t, resolution(a.GetId()).Equal(t0.Add(36*time.Hour)))
		require.Equal(t, 3, history(a.GetId()))
		require.Equal(t, 0, h.count(t, `SELECT count(*) FROM (SELECT sequence FROM ticket.history WHERE ticket_id = $1
			GROUP BY sequence HAVING count(*) > 1) d`, a.GetId()), "each entry has its own sequence")
	})
	t.Run("an item of another tenant is refused by its field", func(t *testing.T) {
		other := deadlines(a.GetId(), 6, 24)
		other.Tenant = "JHB"
		_, err := h.internal.BatchRecordDeadlines(svc, &ticketv1.BatchRecordDeadlinesRequest{Tenant: "CPT",
			Requests: []*ticketv1.RecordDeadlinesRequest{deadlines(a.GetId(), 6, 24), other}})
		requireField(t, err, "requests[1].tenant")
		_, err = h.internal.BatchRecordDeadlines(svc, &ticketv1.BatchRecordDeadlinesRequest{Tenant: "CPT"})
		requireField(t, err, "requests")
	})
}

func TestBatchRecordAssignmentsAppliesEachLikeItsOwnCallInOneTransaction(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	svc := service(t)
	t0 := time.Now().UTC().Truncate(time.Second)
	a := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Leak"))
	b := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_ROADS, "Pothole"))
	assignment := func(id, assignment string, at time.Time) *ticketv1.RecordAssignmentRequest {
		return &ticketv1.RecordAssignmentRequest{Tenant: "CPT", TicketId: id, AssignmentId: assignment, TeamId: "team-" + assignment,
			TeamName: "Team " + assignment, Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_GEOSPATIAL_ROUTING, AssignTime: timestamppb.New(at),
			WardCode: "ward-" + id[:4]}
	}
	team := func(id string) string {
		r, err := h.public.GetTicket(agent(t, "CPT"), &ticketv1.GetTicketRequest{Id: id})
		require.NoError(t, err)
		return r.GetTicket().GetAssignedTeamId()
	}
	entries := func(id string) int {
		return h.count(t, `SELECT count(*) FROM ticket.history WHERE ticket_id = $1 AND kind = 'assigned'`, id)
	}

	// b's older assignment comes after its newer one, and a's redelivery
	// is in the batch too: each applies as it would alone.
	r, err := h.internal.BatchRecordAssignments(svc, &ticketv1.BatchRecordAssignmentsRequest{Tenant: "CPT",
		Requests: []*ticketv1.RecordAssignmentRequest{assignment(a.GetId(), "a1", t0), assignment(b.GetId(), "b2", t0.Add(time.Minute)),
			assignment(b.GetId(), "b1", t0), assignment(a.GetId(), "a1", t0)}})
	require.NoError(t, err)
	var applied []bool
	for _, x := range r.GetResponses() {
		applied = append(applied, x.GetApplied())
	}
	require.Equal(t, []bool{true, true, false, false}, applied)
	require.Equal(t, "team-a1", team(a.GetId()))
	require.Equal(t, "team-b2", team(b.GetId()), "the newer assignment stays")
	require.Equal(t, 1, entries(a.GetId()))
	require.Equal(t, 1, entries(b.GetId()))
	require.Equal(t, 2, h.count(t, `SELECT count(*) FROM ticket.tickets WHERE ward_code LIKE 'ward-%'`), "each ticket has its ward")

	t.Run("a batch with an item that fails changes nothing", func(t *testing.T) {
		_, err := h.internal.BatchRecordAssignments(svc, &ticketv1.BatchRecordAssignmentsRequest{Tenant: "CPT",
			Requests: []*ticketv1.RecordAssignmentRequest{assignment(a.GetId(), "a3", t0.Add(time.Hour)),
				assignment("00000000-0000-4000-8000-000000000000", "x", t0)}})
		requireCode(t, err, codes.NotFound)
		require.Equal(t, "team-a1", team(a.GetId()), "the item before the missing ticket rolled back")
		require.Equal(t, 1, entries(a.GetId()))
	})
	t.Run("two newer assignments of one ticket in a batch both apply, in turn", func(t *testing.T) {
		r, err := h.internal.BatchRecordAssignments(svc, &ticketv1.BatchRecordAssignmentsRequest{Tenant: "CPT",
			Requests: []*ticketv1.RecordAssignmentRequest{assignment(a.GetId(), "a7", t0.Add(3*time.Hour)),
				assignment(a.GetId(), "a6", t0.Add(2*time.Hour)), assignment(a.GetId(), "a8", t0.Add(4*time.Hour))}})
		require.NoError(t, err)
		var applied []bool
		for _, x := range r.GetResponses() {
			applied = append(applied, x.GetApplied())
		}
		require.Equal(t, []bool{true, false, true}, applied, "a6 is older than a7, which the batch recorded before it")
		require.Equal(t, "team-a8", team(a.GetId()))
		require.Equal(t, 3, entries(a.GetId()))
		require.Equal(t, 0, h.count(t, `SELECT count(*) FROM (SELECT sequence FROM ticket.history WHERE ticket_id = $1
			GROUP BY sequence HAVING count(*) > 1) d`, a.GetId()), "each entry has its own sequence")
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.tickets t WHERE id = $1
			AND history_seq = (SELECT max(sequence) FROM ticket.history WHERE ticket_id = t.id)`, a.GetId()),
			"the ticket's sequence is its last entry's")
	})
	t.Run("bad items are refused by field", func(t *testing.T) {
		bad := assignment(a.GetId(), "a4", t0.Add(time.Hour))
		bad.Reason = commonv1.AssignmentReason(99)
		_, err := h.internal.BatchRecordAssignments(svc, &ticketv1.BatchRecordAssignmentsRequest{Tenant: "CPT",
			Requests: []*ticketv1.RecordAssignmentRequest{bad}})
		requireField(t, err, "requests[0].reason")
		other := assignment(a.GetId(), "a5", t0.Add(time.Hour))
		other.Tenant = "JHB"
		_, err = h.internal.BatchRecordAssignments(svc, &ticketv1.BatchRecordAssignmentsRequest{Tenant: "CPT",
			Requests: []*ticketv1.RecordAssignmentRequest{other}})
		requireField(t, err, "requests[0].tenant")
	})
}
