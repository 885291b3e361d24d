package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/auth"
)

// Notes on GBV assignments (a reassignment's reason, an escalation's
// cause) are sealed at rest and opened for the liaison on every read that
// returns them.
func TestGBVAssignmentNotesAreSealedAtRest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	saps := e.team("TST", &routingv1.Team{Name: "SAPS", Category: gbv, IsSaps: true, ManagerId: "commander",
		ServiceArea: square(25, -30, 26, -29)})
	saps2 := e.team("TST", &routingv1.Team{Name: "SAPS north", Category: gbv, IsSaps: true})
	routed := e.route("TST", gbv, -29.5, 25.5).GetAssignment()
	require.Equal(t, saps.GetId(), routed.GetTeamId())
	ticket := routed.GetTicketId()
	liaison := as(t, "TST", "liaison", auth.RoleSAPSLiaison)
	const moved, breached = "moved: the suspect lives next to the station", "response clock breached at the shelter"

	r, err := e.public.ReassignTicket(liaison, &routingv1.ReassignTicketRequest{TicketId: ticket, TeamId: saps2.GetId(), Note: moved})
	require.NoError(t, err)
	require.Equal(t, moved, r.GetAssignment().GetNote(), "the writer gets the note back")
	esc := func() *routingv1.Assignment {
		resp, err := e.internal.EscalateTicket(service(t), &routingv1.EscalateTicketRequest{Tenant: "TST", TicketId: ticket, Level: 1,
			Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH, Note: breached})
		require.NoError(t, err)
		return resp.GetAssignment()
	}
	require.Equal(t, breached, esc().GetNote())
	require.Equal(t, breached, esc().GetNote(), "a repeated escalation returns the stored note, opened")

	require.Zero(t, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1 AND note <> ''`, ticket),
		"no GBV note is stored in plain text")
	require.Zero(t, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1 AND
		position(convert_to($2, 'UTF8') in note_sealed) > 0`, ticket, "suspect"))
	require.Equal(t, 2, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1 AND note_sealed IS NOT NULL`, ticket))

	hist, err := e.public.ListAssignments(liaison, &routingv1.ListAssignmentsRequest{TicketId: ticket})
	require.NoError(t, err)
	var notes []string
	for _, a := range hist.GetAssignments() {
		notes = append(notes, a.GetNote())
	}
	require.Equal(t, []string{"", moved, breached}, notes)
	q, err := e.public.ListTeamQueue(liaison, &routingv1.ListTeamQueueRequest{TeamId: saps2.GetId()})
	require.NoError(t, err)
	require.Len(t, q.GetTickets(), 1)
	require.Equal(t, breached, q.GetTickets()[0].GetAssignment().GetNote())

	// Without a SAPS team a GBV ticket waits in triage; its escalation note
	// is sealed there too and opened in the triage queue.
	e.municipality("OTH")
	orphan := e.route("OTH", gbv, -29.5, 25.5).GetAssignment().GetTicketId()
	_, err = e.internal.EscalateTicket(serviceFor(t, "OTH"), &routingv1.EscalateTicketRequest{Tenant: "OTH", TicketId: orphan, Level: 1,
		Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH, Note: breached})
	require.NoError(t, err)
	tq, err := e.public.ListTriageQueue(as(t, "OTH", "liaison", auth.RoleSAPSLiaison), &routingv1.ListTriageQueueRequest{})
	require.NoError(t, err)
	require.Len(t, tq.GetTickets(), 1)
	require.Equal(t, breached, tq.GetTickets()[0].GetAssignment().GetNote())
	require.Zero(t, e.count(`SELECT count(*) FROM routing.assignments WHERE category = 'gbv' AND note <> ''`))

	// Notes of other tickets stay as they were.
	e.team("TST", &routingv1.Team{Name: "Water", Category: water, ServiceArea: square(25, -30, 26, -29)})
	nightShift := e.team("TST", &routingv1.Team{Name: "Water night shift", Category: water})
	other := e.route("TST", water, -29.5, 25.5).GetAssignment().GetTicketId()
	_, err = e.public.ReassignTicket(as(t, "TST", "mgr", auth.RoleTeamManager), &routingv1.ReassignTicketRequest{
		TicketId: other, TeamId: nightShift.GetId(), Note: "plain"})
	require.NoError(t, err)
	require.Equal(t, 1, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1 AND note = 'plain'`, other))
}
