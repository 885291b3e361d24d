package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
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
