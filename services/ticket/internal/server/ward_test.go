package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

func TestATicketKeepsTheWardItWasCreatedIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	svc := service(t)
	t0 := time.Now().UTC().Truncate(time.Second)
	assign := func(id, ward, reason string, at time.Time) (*ticketv1.RecordAssignmentResponse, error) {
		r := commonv1.AssignmentReason_ASSIGNMENT_REASON_GEOSPATIAL_ROUTING
		if reason == "escalation" {
			r = commonv1.AssignmentReason_ASSIGNMENT_REASON_ESCALATION
		}
		return h.internal.RecordAssignment(svc, &ticketv1.RecordAssignmentRequest{Tenant: "CPT", TicketId: id,
			AssignmentId: uuid.NewString(), TeamId: "t", TeamName: "Water ward 77", Reason: r, EscalationLevel: map[bool]int32{true: 1}[reason == "escalation"],
			AssignTime: timestamppb.New(at), WardCode: ward})
	}
	ward := func(id string) string {
		r, err := h.public.GetTicket(agent(t, "CPT"), &ticketv1.GetTicketRequest{Id: id})
		require.NoError(t, err)
		return r.GetTicket().GetWardCode()
	}
	old := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Leak in the old ward"))
	late := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Leak routed late"))
	fresh := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Leak in the new ward"))
	require.Empty(t, ward(old.GetId()), "no ward until routing tells it")

	_, err := assign(old.GetId(), "19100054", "routing", t0)
	require.NoError(t, err)
	require.Equal(t, "19100054", ward(old.GetId()))
	// A later assignment (an escalation carries no ward) or another ward
	// told later does not move the ticket out of the ward it arose in.
	_, err = assign(old.GetId(), "", "escalation", t0.Add(time.Minute))
	require.NoError(t, err)
	_, err = assign(old.GetId(), "19100077", "escalation", t0.Add(2*time.Minute))
	require.NoError(t, err)
	require.Equal(t, "19100054", ward(old.GetId()))
	// A routing assignment that arrives after an escalation still tells it.
	_, err = assign(late.GetId(), "", "escalation", t0.Add(time.Minute))
	require.NoError(t, err)
	r, err := assign(late.GetId(), "19100054", "routing", t0)
	require.NoError(t, err)
	require.False(t, r.GetApplied(), "the older assignment does not replace the escalation")
	require.Equal(t, "19100054", ward(late.GetId()))
	_, err = assign(fresh.GetId(), "19100077", "routing", t0)
	require.NoError(t, err)

	list := func(w string) []string {
		resp, err := h.public.ListTickets(agent(t, "CPT"), &ticketv1.ListTicketsRequest{WardCode: w})
		require.NoError(t, err)
		var ids []string
		for _, tk := range resp.GetTickets() {
			ids = append(ids, tk.GetId())
			require.Equal(t, w, tk.GetWardCode())
		}
		return ids
	}
	require.ElementsMatch(t, []string{old.GetId(), late.GetId()}, list("19100054"))
	require.ElementsMatch(t, []string{fresh.GetId()}, list("19100077"))
	require.Empty(t, list("19100001"))

	_, err = h.public.ListTickets(agent(t, "CPT"), &ticketv1.ListTicketsRequest{WardCode: strings.Repeat("9", 33)})
	requireField(t, err, "ward_code")
	_, err = assign(fresh.GetId(), "bad\x00ward", "routing", t0.Add(time.Hour))
	requireField(t, err, "ward_code")
	require.Equal(t, "19100077", ward(fresh.GetId()), "a refused assignment changes nothing")
}

func TestEveryAppliedAssignmentTellsSLAItsTeamAndWardInAnEventOfItsOwn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	svc := service(t)
	t0 := time.Now().UTC().Truncate(time.Second)
	assign := func(id, assignment, team, ward string, escalation bool, at time.Time) bool {
		r, lvl := commonv1.AssignmentReason_ASSIGNMENT_REASON_GEOSPATIAL_ROUTING, int32(0)
		if escalation {
			r, lvl = commonv1.AssignmentReason_ASSIGNMENT_REASON_ESCALATION, 1
		}
		resp, err := h.internal.RecordAssignment(svc, &ticketv1.RecordAssignmentRequest{Tenant: "CPT", TicketId: id,
			AssignmentId: assignment, TeamId: team, TeamName: "Water", Reason: r, EscalationLevel: lvl,
			AssignTime: timestamppb.New(at), WardCode: ward})
		require.NoError(t, err)
		return resp.GetApplied()
	}
	// events are the ticket's SLA assigned events in the order recorded:
	// "team ward sequence", and the history sequence of each applied one.
	events := func(id string) []string {
		rows, err := h.pool.Query(t.Context(), `SELECT coalesce(j.args->>'team_id', '') || ' ' || coalesce(j.args->>'ward_code', '')
				|| ' ' || (j.args->>'sequence') || ' ' || coalesce(j.args->>'priority', '') || coalesce(j.args->>'from', '')
				|| ' ' || coalesce((SELECT h.sequence::text FROM ticket.history h WHERE h.event_id::text = j.args->>'event_id'), '-')
			FROM ticket.river_job j WHERE j.kind = 'ticket.sla_event' AND j.args->>'event' = 'assigned'
				AND j.args->>'ticket_id' = $1 ORDER BY j.id`, id)
		require.NoError(t, err)
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		return out
	}
	teamA, teamB := uuid.NewString(), uuid.NewString()
	routed := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Leak routed once"))
	require.Empty(t, events(routed.GetId()), "created before routing: no team yet")

	first := uuid.NewString()
	require.True(t, assign(routed.GetId(), first, teamA, "19100054", false, t0))
	require.Equal(t, []string{teamA + " 19100054 2  2"}, events(routed.GetId()),
		"routing's assignment: its team and ward, under its history entry's sequence, no priority")
	require.False(t, assign(routed.GetId(), first, teamA, "19100054", false, t0), "a redelivery")
	require.True(t, assign(routed.GetId(), uuid.NewString(), teamB, "", true, t0.Add(time.Minute)))
	require.False(t, assign(routed.GetId(), uuid.NewString(), teamA, "", false, t0.Add(30*time.Second)), "an older one")
	require.Equal(t, []string{teamA + " 19100054 2  2", teamB + " 19100054 3  3"}, events(routed.GetId()),
		"the escalation carries the ward the ticket keeps; the redelivery and the older assignment send nothing")
	require.True(t, assign(routed.GetId(), uuid.NewString(), "", "", true, t0.Add(2*time.Minute)), "escalated to triage")
	require.Equal(t, " 19100054 4  4", events(routed.GetId())[2], "no team, under its sequence")

	// A routing assignment overtaken by an escalation applies no team but
	// tells the ward: an event without a team.
	late := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Leak routed late"))
	require.True(t, assign(late.GetId(), uuid.NewString(), teamB, "", true, t0.Add(time.Minute)))
	require.False(t, assign(late.GetId(), uuid.NewString(), teamA, "19100054", false, t0))
	require.Equal(t, []string{teamB + "  2  2", " 19100054 0  -"}, events(late.GetId()))
}
