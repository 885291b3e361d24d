package e2e

import (
	"context"
	"math"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// nonSAPS are the callers that must never see TST's GBV tickets: every
// other role of the tenant (the citizen is the one who reported one of
// them), a platform admin, and another municipality's SAPS liaison.
var nonSAPS = []struct{ tenant, role string }{
	{"TST", "citizen"}, {"TST", "agent"}, {"TST", "team_manager"}, {"TST", "municipal_admin"},
	{"TST", "platform_admin"}, {"OTH", "saps_liaison"},
}

// gbvRefused are the codes a GBV request by a non-SAPS caller may get. A
// reassignment may also be refused as bad input (GBV only to a SAPS team).
var gbvRefused = []codes.Code{codes.NotFound, codes.PermissionDenied}

func TestGBVTicketsAreNeverVisibleToANonSAPSRole(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{extraEnv: hostileEnv})
	w := newWorld(t, s)
	ctx := context.Background()
	sapsTeam, roadsTeam := w.teams["TST"].saps, w.teams["TST"].roads
	secrets := []string{w.gbvCitizen, w.gbvSaps, "Umzimkhulu", gbvPhone}

	// The SAPS liaison of the tenant sees both tickets everywhere, so the
	// refusals below hide something that is really there.
	saps := w.ticket("TST", "saps_liaison")
	got, err := saps.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: w.gbvCitizen})
	require.NoError(t, err)
	require.Equal(t, gbvSecret, got.GetTicket().GetDescription())
	// GBV descriptions are sealed at rest, so text search cannot match them
	// even for SAPS; the category filter finds them.
	found, err := saps.ListTickets(ctx, &ticketv1.ListTicketsRequest{Categories: []commonv1.Category{commonv1.Category_CATEGORY_GBV}})
	require.NoError(t, err)
	require.Len(t, found.GetTickets(), 2)
	queue, err := w.routing("TST", "saps_liaison").ListTeamQueue(ctx, &routingv1.ListTeamQueueRequest{TeamId: sapsTeam})
	require.NoError(t, err)
	require.Len(t, queue.GetTickets(), 2)
	clocks, err := w.sla("TST", "saps_liaison").GetTicketClocks(ctx, &slav1.GetTicketClocksRequest{TicketId: w.gbvSaps})
	require.NoError(t, err)
	require.NotEmpty(t, clocks.GetClocks())
	// On the SAPS liaison's map tile the water ticket and the two GBV
	// tickets at the same point are one feature of three, so the water
	// ticket's id is not drawn on its own: the check below can fail.
	tile := westTile(22)
	sapsTile, err := saps.GetTicketTile(ctx, tile)
	require.NoError(t, err)
	require.NotContains(t, string(sapsTile.GetData()), w.water["TST"])

	before := s.snapshot(t)
	var ty tally
	for _, c := range nonSAPS {
		who := c.tenant + " " + c.role
		tc, rc, sc := w.ticket(c.tenant, c.role), w.routing(c.tenant, c.role), w.sla(c.tenant, c.role)
		readOrRefuse := func(what string, answer any, err error) {
			t.Helper()
			if err != nil {
				ty.grpc(t, who+" "+what, err, gbvRefused...)
				return
			}
			ty.hidden(t, who+" "+what, answer, secrets...)
		}
		for _, id := range []string{w.gbvCitizen, w.gbvSaps} {
			_, err := tc.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: id})
			ty.grpc(t, who+" GetTicket", err, gbvRefused...)
			_, err = tc.GetTicketHistory(ctx, &ticketv1.GetTicketHistoryRequest{TicketId: id})
			ty.grpc(t, who+" GetTicketHistory", err, gbvRefused...)
			_, err = tc.ListTicketNotes(ctx, &ticketv1.ListTicketNotesRequest{TicketId: id})
			ty.grpc(t, who+" ListTicketNotes", err, gbvRefused...)
			_, err = tc.AddTicketNote(ctx, &ticketv1.AddTicketNoteRequest{TicketId: id, Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC, Body: "hostile"})
			ty.grpc(t, who+" AddTicketNote", err, gbvRefused...)
			_, err = tc.UpdateTicketStatus(ctx, &ticketv1.UpdateTicketStatusRequest{Id: id, Status: commonv1.TicketStatus_TICKET_STATUS_CANCELLED, Reason: "hostile"})
			ty.grpc(t, who+" UpdateTicketStatus", err, gbvRefused...)
			_, err = rc.ReassignTicket(ctx, &routingv1.ReassignTicketRequest{TicketId: id, TeamId: roadsTeam, Note: "hostile"})
			ty.grpc(t, who+" ReassignTicket to a non-SAPS team", err, codes.NotFound, codes.PermissionDenied, codes.InvalidArgument, codes.FailedPrecondition)
			as, err := rc.ListAssignments(ctx, &routingv1.ListAssignmentsRequest{TicketId: id})
			readOrRefuse("ListAssignments", as.GetAssignments(), err)
			_, err = sc.GetTicketClocks(ctx, &slav1.GetTicketClocksRequest{TicketId: id})
			ty.grpc(t, who+" GetTicketClocks", err, gbvRefused...)
		}
		for _, f := range []*ticketv1.ListTicketsRequest{
			{PageSize: 500}, {Categories: []commonv1.Category{commonv1.Category_CATEGORY_GBV}}, {Query: "Umzimkhulu"},
			{Query: "assault"}, {AssignedTeamId: sapsTeam},
		} {
			list, err := tc.ListTickets(ctx, f)
			readOrRefuse("ListTickets "+f.String(), list.GetTickets(), err)
		}
		// On every other role's tile the water ticket at the same point is
		// a feature of its own: no GBV ticket is merged into its count.
		tileReq := westTile(22)
		if c.role == "platform_admin" {
			tileReq.Tenant = c.tenant
		}
		mvt, err := tc.GetTicketTile(ctx, tileReq)
		readOrRefuse("GetTicketTile", string(mvt.GetData()), err)
		if err == nil {
			require.Contains(t, string(mvt.GetData()), w.water[c.tenant], "%s: the water ticket is not drawn on its own", who)
		}
		q, err := rc.ListTeamQueue(ctx, &routingv1.ListTeamQueueRequest{TeamId: sapsTeam, IncludeFinished: true})
		readOrRefuse("ListTeamQueue of the SAPS team", q.GetTickets(), err)
		tq, err := rc.ListTriageQueue(ctx, &routingv1.ListTriageQueueRequest{Tenant: c.tenant})
		readOrRefuse("ListTriageQueue", tq.GetTickets(), err)
		ar, err := sc.ListAtRiskTickets(ctx, &slav1.ListAtRiskTicketsRequest{Tenant: c.tenant, IncludeBreached: true})
		readOrRefuse("ListAtRiskTickets", ar.GetTickets(), err)
		comp, err := sc.GetCompliance(ctx, &slav1.GetComplianceRequest{Tenant: c.tenant})
		readOrRefuse("GetCompliance", comp.GetRows(), err)
		for _, row := range comp.GetRows() {
			if row.GetCategory() == commonv1.Category_CATEGORY_GBV {
				require.Zero(t, row.GetMetOnTime()+row.GetMetLate()+row.GetOpenOverdue()+row.GetOpenOnTrack(), "%s counts GBV clocks", who)
			}
		}

		tok := w.token(c.tenant, c.role)
		for _, id := range []string{w.gbvCitizen, w.gbvSaps} {
			for _, a := range []struct{ method, path, body string }{
				{"GET", "/v1/tickets/" + id, ""},
				{"GET", "/v1/tickets/" + id + "/history", ""},
				{"GET", "/v1/tickets/" + id + "/notes", ""},
				{"POST", "/v1/tickets/" + id + "/notes", `{"visibility":"NOTE_VISIBILITY_PUBLIC","body":"hostile"}`},
				{"POST", "/v1/tickets/" + id + ":updateStatus", `{"status":"TICKET_STATUS_CANCELLED","reason":"hostile"}`},
				{"GET", "/v1/sla/tickets/" + id + "/clocks", ""},
			} {
				code, body, _ := s.call(a.method, a.path, tok, a.body, nil)
				ty.http(t, who+" "+a.method+" "+a.path, code, body, 403, 404)
			}
		}
		for _, path := range []string{
			"/v1/tickets?page_size=500", "/v1/tickets?categories=CATEGORY_GBV", "/v1/tickets?query=" + url.QueryEscape("Umzimkhulu"),
			"/v1/tickets/" + w.gbvSaps + "/assignments", "/v1/teams/" + sapsTeam + "/queue?include_finished=true", "/v1/triage?tenant=" + c.tenant,
			"/v1/sla/at-risk?include_breached=true&tenant=" + c.tenant, "/v1/sla/compliance?tenant=" + c.tenant,
		} {
			code, body, _ := s.call("GET", path, tok, "", nil)
			if code != 200 {
				ty.http(t, who+" GET "+path, code, body, 403, 404)
				continue
			}
			ty.hidden(t, who+" GET "+path, body, secrets...)
		}
	}

	changed := changedTables(before, s.snapshot(t))
	line := ty.report(t, "gbv", len(changed))
	require.Empty(t, changed, line)
	require.Zero(t, ty.accepted, line)
}

// westTile is the map tile at zoom z holding westPoint, where the world's
// tickets are.
func westTile(z int) *ticketv1.GetTicketTileRequest {
	n := math.Exp2(float64(z))
	lat := westPoint.GetLatitude() * math.Pi / 180
	x := (westPoint.GetLongitude() + 180) / 360 * n
	y := (1 - math.Log(math.Tan(lat)+1/math.Cos(lat))/math.Pi) / 2 * n
	return &ticketv1.GetTicketTileRequest{Z: int32(z), X: int32(x), Y: int32(y)}
}
