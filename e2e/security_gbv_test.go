package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
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
// The ticket service's own RPCs answer exactly as for an id that does not
// exist (see asMissing).
var gbvRefused = []codes.Code{codes.NotFound, codes.PermissionDenied}

// gbvNote is the note the SAPS liaison reassigns a GBV ticket with: routing
// seals it and opens it only for the liaison (it holds the secret text the
// hidden checks look for).
const gbvNote = "Moved after the statement: Umzimkhulu-7731"

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
	s.liaisonReadsGBVAssignments(t, w)
	// notify knows both GBV tickets and shows the liaison their messages
	// (none carries sealed content), so the refusals below hide something.
	for _, id := range []string{w.gbvCitizen, w.gbvSaps} {
		s.eventually(30*time.Second, "notify knows the GBV ticket", func() (bool, string) {
			_, err := w.notify("TST", "saps_liaison").ListTicketMessages(ctx, &notifyv1.ListTicketMessagesRequest{TicketId: id})
			return err == nil, fmt.Sprint(err)
		})
	}
	photo := s.gbvPhoto(t, w)

	before := s.snapshot(t)
	var ty tally
	missing := uuid.NewString()
	for _, c := range nonSAPS {
		who := c.tenant + " " + c.role
		tc, rc, sc := w.ticket(c.tenant, c.role), w.routing(c.tenant, c.role), w.sla(c.tenant, c.role)
		// asMissing sends a ticket RPC about a GBV id and about an id that
		// does not exist: the refusal must be the same, code and message, so
		// the answer does not tell that the id is a GBV ticket.
		asMissing := func(what, id string, call func(id string) error) {
			t.Helper()
			err := call(id)
			ty.grpc(t, who+" "+what, err, gbvRefused...)
			want := status.Convert(call(missing))
			require.Equal(t, want.Code(), status.Code(err), "%s: a GBV id answers %v, a missing id %v", who+" "+what, err, want.Err())
			require.Equal(t, want.Message(), status.Convert(err).Message(), "%s", who+" "+what)
		}
		readOrRefuse := func(what string, answer any, err error) {
			t.Helper()
			if err != nil {
				ty.grpc(t, who+" "+what, err, gbvRefused...)
				return
			}
			ty.hidden(t, who+" "+what, answer, secrets...)
		}
		for _, id := range []string{w.gbvCitizen, w.gbvSaps} {
			asMissing("GetTicket", id, func(id string) error {
				_, err := tc.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: id})
				return err
			})
			asMissing("GetTicketHistory", id, func(id string) error {
				_, err := tc.GetTicketHistory(ctx, &ticketv1.GetTicketHistoryRequest{TicketId: id})
				return err
			})
			asMissing("ListTicketNotes", id, func(id string) error {
				_, err := tc.ListTicketNotes(ctx, &ticketv1.ListTicketNotesRequest{TicketId: id})
				return err
			})
			asMissing("AddTicketNote", id, func(id string) error {
				_, err := tc.AddTicketNote(ctx, &ticketv1.AddTicketNoteRequest{TicketId: id, Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC, Body: "hostile"})
				return err
			})
			asMissing("UpdateTicketStatus", id, func(id string) error {
				_, err := tc.UpdateTicketStatus(ctx, &ticketv1.UpdateTicketStatusRequest{Id: id, Status: commonv1.TicketStatus_TICKET_STATUS_CANCELLED, Reason: "hostile"})
				return err
			})
			for what, call := range photoCalls(tc, photo) {
				asMissing(what, id, call)
			}
			asMissing("LinkDuplicate of the GBV ticket", id, func(id string) error {
				_, err := tc.LinkDuplicate(ctx, &ticketv1.LinkDuplicateRequest{Id: id, ParentId: w.water["TST"], Reason: "hostile"})
				return err
			})
			asMissing("LinkDuplicate to the GBV ticket", id, func(id string) error {
				_, err := tc.LinkDuplicate(ctx, &ticketv1.LinkDuplicateRequest{Id: w.water["TST"], ParentId: id, Reason: "hostile"})
				return err
			})
			asMissing("UnlinkDuplicate", id, func(id string) error {
				_, err := tc.UnlinkDuplicate(ctx, &ticketv1.UnlinkDuplicateRequest{Id: id})
				return err
			})
			asMissing("FollowTicket", id, func(id string) error {
				_, err := tc.FollowTicket(ctx, &ticketv1.FollowTicketRequest{Id: id})
				return err
			})
			asMissing("SetTicketPriority", id, func(id string) error {
				_, err := tc.SetTicketPriority(ctx, &ticketv1.SetTicketPriorityRequest{Id: id, Priority: commonv1.Priority_PRIORITY_P4_LOW, Reason: "hostile"})
				return err
			})
			var err error
			// Routing's RPCs that name a ticket answer about a GBV ticket
			// exactly as about a missing one, so the answer tells nothing.
			for _, team := range []struct{ what, id string }{{"a non-SAPS team", roadsTeam}, {"the SAPS team", sapsTeam}} {
				reassign := func(ticket string) error {
					_, err := rc.ReassignTicket(ctx, &routingv1.ReassignTicketRequest{TicketId: ticket, TeamId: team.id, Note: "hostile"})
					return err
				}
				ty.sameAsMissing(t, who+" ReassignTicket to "+team.what, id, reassign, gbvRefused...)
			}
			ty.sameAsMissing(t, who+" ListAssignments", id, func(ticket string) error {
				_, err := rc.ListAssignments(ctx, &routingv1.ListAssignmentsRequest{TicketId: ticket})
				return err
			}, gbvRefused...)
			// notify's RPCs that name a ticket answer as for a missing one.
			nc := w.notify(c.tenant, c.role)
			ty.sameAsMissing(t, who+" ListTicketMessages", id, func(ticket string) error {
				_, err := nc.ListTicketMessages(ctx, &notifyv1.ListTicketMessagesRequest{TicketId: ticket})
				return err
			}, gbvRefused...)
			ty.sameAsMissing(t, who+" GetReporterPreferences", id, func(ticket string) error {
				_, err := nc.GetReporterPreferences(ctx, &notifyv1.GetReporterPreferencesRequest{TicketId: ticket})
				return err
			}, gbvRefused...)
			ty.sameAsMissing(t, who+" UpdateReporterPreferences", id, func(ticket string) error {
				_, err := nc.UpdateReporterPreferences(ctx, &notifyv1.UpdateReporterPreferencesRequest{TicketId: ticket,
					Preferences: &commonv1.ReporterPreferences{GbvSafeChannel: commonv1.ContactChannel_CONTACT_CHANNEL_SMS}})
				return err
			}, gbvRefused...)
			_, err = sc.GetTicketClocks(ctx, &slav1.GetTicketClocksRequest{TicketId: id})
			ty.grpc(t, who+" GetTicketClocks", err, gbvRefused...)
			_, err = sc.ExplainTicketClocks(ctx, &slav1.ExplainTicketClocksRequest{TicketId: id})
			ty.grpc(t, who+" ExplainTicketClocks", err, gbvRefused...)
		}
		for _, f := range []*ticketv1.ListTicketsRequest{
			{PageSize: 500}, {Categories: []commonv1.Category{commonv1.Category_CATEGORY_GBV}}, {Query: "Umzimkhulu"},
			{Query: "assault"}, {AssignedTeamId: sapsTeam},
		} {
			list, err := tc.ListTickets(ctx, f)
			readOrRefuse("ListTickets "+f.String(), list.GetTickets(), err)
		}
		// The GBV tickets are at the water ticket's point: no nearby list
		// shows them, whatever the category asked.
		for _, cat := range []commonv1.Category{commonv1.Category_CATEGORY_GBV, commonv1.Category_CATEGORY_WATER} {
			req := &ticketv1.ListNearbyTicketsRequest{Location: westPoint, Category: cat, RadiusMeters: 5000, PageSize: 50}
			if c.role == "platform_admin" {
				req.Tenant = "TST"
			}
			near, err := tc.ListNearbyTickets(ctx, req)
			readOrRefuse("ListNearbyTickets "+cat.String(), near.GetTickets(), err)
			ty.hidden(t, who+" ListNearbyTickets ids "+cat.String(), near.GetTickets(), w.gbvCitizen, w.gbvSaps)
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
		cov, err := rc.GetCoverage(ctx, &routingv1.GetCoverageRequest{Tenant: c.tenant, Category: commonv1.Category_CATEGORY_GBV})
		readOrRefuse("GetCoverage of GBV", cov.GetCoverage(), err)
		sets, err := rc.ListBoundarySets(ctx, &routingv1.ListBoundarySetsRequest{Tenant: c.tenant})
		readOrRefuse("ListBoundarySets", sets.GetBoundarySets(), err)
		ar, err := sc.ListAtRiskTickets(ctx, &slav1.ListAtRiskTicketsRequest{Tenant: c.tenant, IncludeBreached: true})
		readOrRefuse("ListAtRiskTickets", ar.GetTickets(), err)
		comp, err := sc.GetCompliance(ctx, &slav1.GetComplianceRequest{Tenant: c.tenant})
		readOrRefuse("GetCompliance", comp.GetRows(), err)
		for _, row := range comp.GetRows() {
			if row.GetCategory() == commonv1.Category_CATEGORY_GBV {
				require.Zero(t, row.GetMetOnTime()+row.GetMetLate()+row.GetOpenOverdue()+row.GetOpenOnTrack(), "%s counts GBV clocks", who)
			}
		}
		// Reports and indicators: GBV rows only for whoever may count GBV
		// (of these callers, the platform admin), and a ward's cell of
		// fewer than 5 GBV tickets (TST has 2) withheld from everyone.
		month := time.Now().In(time.FixedZone("SAST", 2*3600)).Format("2006-01")
		byWard := []slav1.ReportDimension{slav1.ReportDimension_REPORT_DIMENSION_CATEGORY, slav1.ReportDimension_REPORT_DIMENSION_WARD}
		gbvRow := func(what string, cat commonv1.Category, suppressed, wardLevel bool) {
			t.Helper()
			if cat != commonv1.Category_CATEGORY_GBV {
				return
			}
			require.Equal(t, "platform_admin", c.role, "%s %s counts GBV", who, what)
			require.True(t, suppressed || !wardLevel, "%s %s shows a ward's cell of fewer than 5 GBV tickets", who, what)
		}
		cr, err := sc.GetComplianceReport(ctx, &slav1.GetComplianceReportRequest{Tenant: c.tenant, Period: month, GroupBy: byWard})
		readOrRefuse("GetComplianceReport", cr.GetRows(), err)
		for _, row := range cr.GetRows() {
			gbvRow("GetComplianceReport", row.GetCategory(), row.GetSuppressed(), true)
		}
		vr, err := sc.GetVolumeReport(ctx, &slav1.GetVolumeReportRequest{Tenant: c.tenant, Period: month, GroupBy: byWard})
		readOrRefuse("GetVolumeReport", vr.GetRows(), err)
		for _, row := range vr.GetRows() {
			gbvRow("GetVolumeReport", row.GetCategory(), row.GetSuppressed(), true)
		}
		br, err := sc.GetBacklogReport(ctx, &slav1.GetBacklogReportRequest{Tenant: c.tenant, GroupBy: byWard})
		readOrRefuse("GetBacklogReport", br.GetRows(), err)
		for _, row := range br.GetRows() {
			gbvRow("GetBacklogReport", row.GetCategory(), row.GetSuppressed(), true)
		}
		tr, err := sc.GetTimingReport(ctx, &slav1.GetTimingReportRequest{Tenant: c.tenant, Period: month})
		readOrRefuse("GetTimingReport", tr.GetRows(), err)
		for _, row := range tr.GetRows() {
			gbvRow("GetTimingReport", row.GetCategory(), row.GetSuppressed(), false)
		}
		ci, err := sc.ComputeIndicators(ctx, &slav1.ComputeIndicatorsRequest{Tenant: c.tenant, Period: month})
		readOrRefuse("ComputeIndicators", ci.GetRows(), err)
		it, err := sc.ListIndicatorTickets(ctx, &slav1.ListIndicatorTicketsRequest{Tenant: c.tenant, Period: month, Code: "GG2.31"})
		readOrRefuse("ListIndicatorTickets", it.GetTickets(), err)
		for _, tk := range it.GetTickets() {
			require.NotContains(t, []string{w.gbvCitizen, w.gbvSaps}, tk.GetTicketId(), "%s: GBV is in no indicator", who)
		}

		tok := w.token(c.tenant, c.role)
		for _, id := range []string{w.gbvCitizen, w.gbvSaps} {
			for _, a := range []struct{ method, path, body string }{
				{"GET", "/v1/tickets/{id}", ""},
				{"GET", "/v1/tickets/{id}/history", ""},
				{"GET", "/v1/tickets/{id}/notes", ""},
				{"POST", "/v1/tickets/{id}/notes", `{"visibility":"NOTE_VISIBILITY_PUBLIC","body":"hostile"}`},
				{"POST", "/v1/tickets/{id}:updateStatus", `{"status":"TICKET_STATUS_CANCELLED","reason":"hostile"}`},
				{"GET", "/v1/sla/tickets/{id}/clocks", ""},
				{"GET", "/v1/sla/tickets/{id}/clocks:explain", ""},
				{"GET", "/v1/tickets/{id}/attachments", ""},
				{"GET", "/v1/tickets/{id}/attachments/" + photo, ""},
				{"GET", "/v1/tickets/{id}/attachments/" + photo + "/thumbnail", ""},
				{"POST", "/v1/tickets/{id}/attachments/" + photo + ":setPublic", `{"public":true}`},
				{"DELETE", "/v1/tickets/{id}/attachments/" + photo, ""},
				{"GET", "/v1/tickets/{id}/messages", ""},
				{"GET", "/v1/tickets/{id}/reporter-preferences", ""},
				{"POST", "/v1/tickets/{id}:linkDuplicate", `{"parent_id":"` + w.water["TST"] + `"}`},
				{"POST", "/v1/tickets/{id}:unlinkDuplicate", `{}`},
				{"POST", "/v1/tickets/{id}:follow", `{}`},
				{"POST", "/v1/tickets/{id}:setPriority", `{"priority":"PRIORITY_P4_LOW","reason":"hostile"}`},
			} {
				path := strings.Replace(a.path, "{id}", id, 1)
				code, body, _ := s.call(a.method, path, tok, a.body, nil)
				ty.http(t, who+" "+a.method+" "+path, code, body, 403, 404)
				if strings.HasPrefix(a.path, "/v1/tickets/") {
					// The ticket service's answer: the same as for a missing id.
					wantCode, want, _ := s.call(a.method, strings.Replace(a.path, "{id}", missing, 1), tok, a.body, nil)
					require.Equal(t, wantCode, code, "%s %s %s", who, a.method, path)
					require.Equal(t, want["message"], body["message"], "%s %s %s", who, a.method, path)
				}
			}
			for _, a := range []struct{ method, path, body string }{
				{"POST", "/v1/tickets/%s:reassign", `{"team_id":"` + sapsTeam + `","note":"hostile"}`},
				{"GET", "/v1/tickets/%s/assignments", ""},
			} {
				missing := uuid.NewString()
				code, body, _ := s.call(a.method, fmt.Sprintf(a.path, id), tok, a.body, nil)
				ty.http(t, who+" "+a.method+" "+a.path, code, body, 403, 404)
				mcode, mbody, _ := s.call(a.method, fmt.Sprintf(a.path, missing), tok, a.body, nil)
				require.Equal(t, mcode, code, "%s %s: a GBV ticket answers as a missing one", who, a.path)
				require.Equal(t, strings.ReplaceAll(fmt.Sprint(mbody["message"]), missing, id), fmt.Sprint(body["message"]),
					"%s %s: a GBV ticket answers as a missing one", who, a.path)
			}
		}
		for _, id := range []string{w.gbvCitizen, w.gbvSaps} {
			code, body := s.postMultipart("/v1/tickets/"+id+"/attachments", tok, file("file", "hostile.jpg", testPhoto(t, "goexif/sample1.jpg")))
			ty.http(t, who+" POST /v1/tickets/{gbv}/attachments", code, body, 404)
			require.Equal(t, "ticket not found", body["message"])
		}
		for _, path := range []string{
			"/v1/tickets?page_size=500", "/v1/tickets?categories=CATEGORY_GBV", "/v1/tickets?query=" + url.QueryEscape("Umzimkhulu"),
			"/v1/teams/" + sapsTeam + "/queue?include_finished=true", "/v1/triage?tenant=" + c.tenant,
			"/v1/coverage?category=CATEGORY_GBV&tenant=" + c.tenant,
			"/v1/sla/at-risk?include_breached=true&tenant=" + c.tenant, "/v1/sla/compliance?tenant=" + c.tenant,
			"/v1/tickets:nearby?category=CATEGORY_GBV&radius_meters=5000&tenant=TST&location.latitude=" + fmt.Sprint(westPoint.GetLatitude()) +
				"&location.longitude=" + fmt.Sprint(westPoint.GetLongitude()),
		} {
			code, body, _ := s.call("GET", path, tok, "", nil)
			if code != 200 {
				ty.http(t, who+" GET "+path, code, body, 403, 404)
				continue
			}
			ty.hidden(t, who+" GET "+path, body, secrets...)
		}
	}

	// Open311 never serves a GBV photo, whatever it is asked.
	code, raw, _ := s.fetch("/open311/v2/requests/"+w.gbvSaps+"/media/"+photo+".jpg?jurisdiction_id=TST", "")
	ty.http(t, "Open311 GET the GBV photo", code, map[string]any{"body": string(raw)}, 404)

	// The public dashboard's figures (no token) never count GBV, also
	// split by ward, as JSON and as CSV.
	month := time.Now().In(time.FixedZone("SAST", 2*3600)).Format("2006-01")
	for _, q := range []string{"", "&by_ward=true", "&format=csv", "&by_ward=true&format=csv"} {
		code, raw, _ := s.fetch("/public/v1/aggregates?jurisdiction_id=TST&period="+month+q, "")
		require.Equal(t, 200, code, "%s", raw)
		require.Contains(t, strings.ToLower(string(raw)), "water", "the public figures count the water ticket")
		require.NotContains(t, strings.ToLower(string(raw)), "gbv", "the public figures never count GBV")
	}

	changed := changedTables(before, s.snapshot(t))
	line := ty.report(t, "gbv", len(changed))
	require.Empty(t, changed, line)
	require.Zero(t, ty.accepted, line)
	s.requireGBVAccessLogged(t, w)
}

// liaisonReadsGBVAssignments has TST's SAPS liaison, through the gateway,
// reassign one GBV ticket with a sealed note and read its assignments back,
// and waits until the ticket service mirrors the reassignment, so nothing
// changes afterwards but the access log.
func (s *suite) liaisonReadsGBVAssignments(t *testing.T, w *world) {
	t.Helper()
	tok := w.token("TST", "saps_liaison")
	code, body, _ := s.call("POST", "/v1/tickets/"+w.gbvSaps+":reassign", tok,
		`{"team_id":"`+w.teams["TST"].saps+`","note":"`+gbvNote+`"}`, nil)
	require.Equal(t, 200, code, "%v", body)
	s.eventually(20*time.Second, "the reassignment mirrored on the ticket", func() (bool, string) {
		got, err := w.ticket("TST", "saps_liaison").GetTicket(context.Background(), &ticketv1.GetTicketRequest{Id: w.gbvSaps})
		if err != nil {
			return false, err.Error()
		}
		reason := got.GetTicket().GetAssignmentReason()
		return reason == commonv1.AssignmentReason_ASSIGNMENT_REASON_MANUAL_OVERRIDE, reason.String()
	})
	code, body, _ = s.call("GET", "/v1/tickets/"+w.gbvSaps+"/assignments", tok, "", nil)
	require.Equal(t, 200, code, "%v", body)
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	require.Contains(t, string(raw), gbvNote, "the liaison reads the note")
}

// requireGBVAccessLogged waits until the liaison's read of the GBV
// assignments through the gateway is in the platform's GBV access log, as a
// platform admin sees it, and requires every entry about TST's GBV tickets
// to name the liaison: no other caller got their content.
func (s *suite) requireGBVAccessLogged(t *testing.T, w *world) {
	t.Helper()
	admin := w.token("TST", "platform_admin")
	entries := func(ticket string) []map[string]any {
		code, body, _ := s.call("GET", "/v1/gbv-access-log?page_size=1000&ticket_id="+ticket, admin, "", nil)
		require.Equal(t, 200, code, "%v", body)
		var out []map[string]any
		for _, e := range body["entries"].([]any) {
			out = append(out, e.(map[string]any))
		}
		return out
	}
	// Routing delivers its entries to the ticket service moments later.
	s.eventually(30*time.Second, "the liaison's ListAssignments in the GBV access log", func() (bool, string) {
		got := entries(w.gbvSaps)
		for _, e := range got {
			if e["action"] == "routing.ListAssignments" && e["subject"] == "saps_liaison-TST" && e["tenant"] == "TST" {
				return true, ""
			}
		}
		return false, fmt.Sprint(got)
	})
	for _, id := range []string{w.gbvCitizen, w.gbvSaps} {
		for _, e := range entries(id) {
			require.Equal(t, "saps_liaison-TST", e["subject"], "GBV content went only to the liaison: %v", e)
		}
	}
}

// sameAsMissing records a hostile call about the GBV ticket gbvID that must
// be refused with one of want and answered exactly (code and message, the
// id aside) as the same call about an id that does not exist.
func (ty *tally) sameAsMissing(t *testing.T, what, gbvID string, call func(ticket string) error, want ...codes.Code) {
	t.Helper()
	err := call(gbvID)
	ty.grpc(t, what, err, want...)
	missing := uuid.NewString()
	missingErr := call(missing)
	require.Equal(t, status.Code(missingErr), status.Code(err), "%s: a GBV ticket answers as a missing one", what)
	require.Equal(t, strings.ReplaceAll(status.Convert(missingErr).Message(), missing, gbvID), status.Convert(err).Message(),
		"%s: a GBV ticket answers as a missing one", what)
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
