package e2e

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// crossTenant are the codes a request about another municipality may get:
// its resources do not exist for the caller, naming it is forbidden.
var crossTenant = []codes.Code{codes.NotFound, codes.PermissionDenied}

func TestEveryCrossTenantReadAndWriteIsRefused(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{extraEnv: hostileEnv})
	w := newWorld(t, s)
	ctx := context.Background()
	other, otherTeam, otherSaps := w.water["OTH"], w.teams["OTH"].roads, w.teams["OTH"].saps
	othTemplate := w.othNotifyDirectory(t, otherTeam)
	otherPhoto := s.photoOn(t, w, "OTH")
	before := s.snapshot(t)
	var ty tally

	for _, role := range staffRoles {
		tc, rc, sc := w.ticket("TST", role), w.routing("TST", role), w.sla("TST", role)
		nc := w.notify("TST", role)
		grpcAttempts := []struct {
			what string
			call func() error
		}{
			{"ListTicketMessages", func() error {
				_, err := nc.ListTicketMessages(ctx, &notifyv1.ListTicketMessagesRequest{TicketId: other})
				return err
			}},
			{"GetReporterPreferences", func() error {
				_, err := nc.GetReporterPreferences(ctx, &notifyv1.GetReporterPreferencesRequest{TicketId: other})
				return err
			}},
			{"UpdateReporterPreferences", func() error {
				_, err := nc.UpdateReporterPreferences(ctx, &notifyv1.UpdateReporterPreferencesRequest{TicketId: other, Preferences: &commonv1.ReporterPreferences{}})
				return err
			}},
			{"UpdateTemplate of OTH", func() error {
				_, err := nc.UpdateTemplate(ctx, &notifyv1.UpdateTemplateRequest{Id: othTemplate, Template: &notifyv1.Template{Body: "{{.Reference}} hijacked"}})
				return err
			}},
			{"DeleteTemplate of OTH", func() error {
				_, err := nc.DeleteTemplate(ctx, &notifyv1.DeleteTemplateRequest{Id: othTemplate})
				return err
			}},
			{"ListTemplates naming OTH", func() error {
				_, err := nc.ListTemplates(ctx, &notifyv1.ListTemplatesRequest{Tenant: "OTH"})
				return err
			}},
			{"PreviewTemplate of OTH", func() error {
				_, err := nc.PreviewTemplate(ctx, &notifyv1.PreviewTemplateRequest{Id: othTemplate})
				return err
			}},
			{"SetTeamChannel of OTH's team", func() error {
				_, err := nc.SetTeamChannel(ctx, &notifyv1.SetTeamChannelRequest{TeamId: otherTeam, Channel: &notifyv1.TeamChannel{Emails: []string{"evil@example.org"}}})
				return err
			}},
			{"DeleteTeamChannel of OTH's team", func() error {
				_, err := nc.DeleteTeamChannel(ctx, &notifyv1.DeleteTeamChannelRequest{TeamId: otherTeam})
				return err
			}},
			{"DeleteStaffContact of OTH's user", func() error {
				_, err := nc.DeleteStaffContact(ctx, &notifyv1.DeleteStaffContactRequest{UserId: "oth-user"})
				return err
			}},
			{"GetTicket", func() error { _, err := tc.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: other}); return err }},
			{"ListTickets naming OTH", func() error {
				_, err := tc.ListTickets(ctx, &ticketv1.ListTicketsRequest{Tenant: "OTH"})
				return err
			}},
			{"CreateTicket in OTH", func() error {
				_, err := tc.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Tenant: "OTH", Category: commonv1.Category_CATEGORY_WATER, Description: "x", Location: westPoint})
				return err
			}},
			{"UpdateTicketStatus", func() error {
				_, err := tc.UpdateTicketStatus(ctx, &ticketv1.UpdateTicketStatusRequest{Id: other, Status: commonv1.TicketStatus_TICKET_STATUS_CANCELLED, Reason: "hostile"})
				return err
			}},
			{"AddTicketNote", func() error {
				_, err := tc.AddTicketNote(ctx, &ticketv1.AddTicketNoteRequest{TicketId: other, Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC, Body: "hostile"})
				return err
			}},
			{"ListTicketNotes", func() error {
				_, err := tc.ListTicketNotes(ctx, &ticketv1.ListTicketNotesRequest{TicketId: other})
				return err
			}},
			{"GetTicketHistory", func() error {
				_, err := tc.GetTicketHistory(ctx, &ticketv1.GetTicketHistoryRequest{TicketId: other})
				return err
			}},
			{"GetTeam", func() error { _, err := rc.GetTeam(ctx, &routingv1.GetTeamRequest{Id: otherTeam}); return err }},
			{"ListTeams naming OTH", func() error { _, err := rc.ListTeams(ctx, &routingv1.ListTeamsRequest{Tenant: "OTH"}); return err }},
			{"CreateTeam in OTH", func() error {
				_, err := rc.CreateTeam(ctx, &routingv1.CreateTeamRequest{Team: &routingv1.Team{Tenant: "OTH", Name: "Rogue", Category: commonv1.Category_CATEGORY_ROADS, Active: true}})
				return err
			}},
			{"UpdateTeam", func() error {
				_, err := rc.UpdateTeam(ctx, &routingv1.UpdateTeamRequest{Id: otherTeam, Team: &routingv1.Team{Name: "Hijacked"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"name"}}})
				return err
			}},
			{"DeactivateTeam", func() error {
				_, err := rc.DeactivateTeam(ctx, &routingv1.DeactivateTeamRequest{Id: otherTeam})
				return err
			}},
			{"ReassignTicket", func() error {
				_, err := rc.ReassignTicket(ctx, &routingv1.ReassignTicketRequest{TicketId: other, TeamId: otherSaps, Note: "hostile"})
				return err
			}},
			{"ListAssignments", func() error {
				_, err := rc.ListAssignments(ctx, &routingv1.ListAssignmentsRequest{TicketId: other})
				return err
			}},
			{"ListTeamQueue", func() error {
				_, err := rc.ListTeamQueue(ctx, &routingv1.ListTeamQueueRequest{TeamId: otherTeam})
				return err
			}},
			{"ListTriageQueue naming OTH", func() error {
				_, err := rc.ListTriageQueue(ctx, &routingv1.ListTriageQueueRequest{Tenant: "OTH"})
				return err
			}},
			{"ExplainRoute in OTH", func() error {
				_, err := rc.ExplainRoute(ctx, &routingv1.ExplainRouteRequest{Tenant: "OTH", Location: westPoint, Category: commonv1.Category_CATEGORY_WATER})
				return err
			}},
			{"GetCoverage of OTH", func() error {
				_, err := rc.GetCoverage(ctx, &routingv1.GetCoverageRequest{Tenant: "OTH", Category: commonv1.Category_CATEGORY_WATER})
				return err
			}},
			{"ImportBoundarySet for OTH", func() error {
				_, err := rc.ImportBoundarySet(ctx, &routingv1.ImportBoundarySetRequest{Tenant: "OTH", EffectiveTime: timestamppb.Now(),
					FeatureCollection: wardCollection(t, "99900001", square(-33.95, 18.45, -33.90, 18.50)), TeamCategory: commonv1.Category_CATEGORY_WATER})
				return err
			}},
			{"ListBoundarySets of OTH", func() error {
				_, err := rc.ListBoundarySets(ctx, &routingv1.ListBoundarySetsRequest{Tenant: "OTH"})
				return err
			}},
			{"UpdateMunicipality OTH", func() error {
				_, err := rc.UpdateMunicipality(ctx, &routingv1.UpdateMunicipalityRequest{Code: "OTH", Municipality: &routingv1.Municipality{Name: "Hijacked"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"name"}}})
				return err
			}},
			{"GetTicketClocks", func() error {
				_, err := sc.GetTicketClocks(ctx, &slav1.GetTicketClocksRequest{TicketId: other})
				return err
			}},
			{"ExplainTicketClocks", func() error {
				_, err := sc.ExplainTicketClocks(ctx, &slav1.ExplainTicketClocksRequest{TicketId: other})
				return err
			}},
			{"ListAtRiskTickets naming OTH", func() error {
				_, err := sc.ListAtRiskTickets(ctx, &slav1.ListAtRiskTicketsRequest{Tenant: "OTH", IncludeBreached: true})
				return err
			}},
			{"GetCompliance naming OTH", func() error { _, err := sc.GetCompliance(ctx, &slav1.GetComplianceRequest{Tenant: "OTH"}); return err }},
			{"GetIndicator naming OTH", func() error {
				_, err := sc.GetIndicator(ctx, &slav1.GetIndicatorRequest{Tenant: "OTH", Code: "GG2.31", Period: "2026/27"})
				return err
			}},
			{"ComputeIndicators naming OTH", func() error {
				_, err := sc.ComputeIndicators(ctx, &slav1.ComputeIndicatorsRequest{Tenant: "OTH", Period: "2026/27"})
				return err
			}},
			{"ListIndicatorTickets naming OTH", func() error {
				_, err := sc.ListIndicatorTickets(ctx, &slav1.ListIndicatorTicketsRequest{Tenant: "OTH", Code: "GG2.31", Period: "2026/27"})
				return err
			}},
			{"GetComplianceReport naming OTH", func() error {
				_, err := sc.GetComplianceReport(ctx, &slav1.GetComplianceReportRequest{Tenant: "OTH", Period: "2026/27"})
				return err
			}},
			{"GetVolumeReport naming OTH", func() error {
				_, err := sc.GetVolumeReport(ctx, &slav1.GetVolumeReportRequest{Tenant: "OTH", Period: "2026/27"})
				return err
			}},
			{"GetBacklogReport naming OTH", func() error {
				_, err := sc.GetBacklogReport(ctx, &slav1.GetBacklogReportRequest{Tenant: "OTH"})
				return err
			}},
			{"GetTimingReport naming OTH", func() error {
				_, err := sc.GetTimingReport(ctx, &slav1.GetTimingReportRequest{Tenant: "OTH", Period: "2026/27"})
				return err
			}},
			{"CreateReportSchedule for OTH", func() error {
				_, err := sc.CreateReportSchedule(ctx, &slav1.CreateReportScheduleRequest{Schedule: &slav1.ReportSchedule{Tenant: "OTH",
					Kind: slav1.ReportKind_REPORT_KIND_INDICATORS, Frequency: slav1.ReportFrequency_REPORT_FREQUENCY_MONTHLY}})
				return err
			}},
			{"ListReportSchedules naming OTH", func() error {
				_, err := sc.ListReportSchedules(ctx, &slav1.ListReportSchedulesRequest{Tenant: "OTH"})
				return err
			}},
			{"ListReportExports naming OTH", func() error {
				_, err := sc.ListReportExports(ctx, &slav1.ListReportExportsRequest{Tenant: "OTH"})
				return err
			}},
			{"CreateSlaConfig for OTH", func() error {
				_, err := sc.CreateSlaConfig(ctx, &slav1.CreateSlaConfigRequest{Config: &slav1.SlaConfig{Municipality: "OTH", Category: commonv1.Category_CATEGORY_WATER, ResponseHours: 1000, ResolutionHours: 2000}})
				return err
			}},
		}
		for what, call := range photoCalls(tc, otherPhoto) {
			grpcAttempts = append(grpcAttempts, struct {
				what string
				call func() error
			}{what, func() error { return call(other) }})
		}
		grpcAttempts = append(grpcAttempts, []struct {
			what string
			call func() error
		}{
			{"CreateTicketWithAttachments in OTH", func() error {
				stream, err := tc.CreateTicketWithAttachments(ctx)
				if err != nil {
					return err
				}
				_ = stream.Send(&ticketv1.CreateTicketWithAttachmentsRequest{Part: &ticketv1.CreateTicketWithAttachmentsRequest_Ticket{
					Ticket: &ticketv1.CreateTicketRequest{Tenant: "OTH", Category: commonv1.Category_CATEGORY_WATER, Description: "x", Location: westPoint}}})
				_, err = stream.CloseAndRecv()
				return err
			}},
			{"GetAttachmentRetention naming OTH", func() error {
				_, err := tc.GetAttachmentRetention(ctx, &ticketv1.GetAttachmentRetentionRequest{Tenant: "OTH"})
				return err
			}},
			{"SetAttachmentRetention naming OTH", func() error {
				_, err := tc.SetAttachmentRetention(ctx, &ticketv1.SetAttachmentRetentionRequest{Tenant: "OTH", RetentionDays: 1})
				return err
			}},
			{"ListNearbyTickets naming OTH", func() error {
				_, err := tc.ListNearbyTickets(ctx, &ticketv1.ListNearbyTicketsRequest{Tenant: "OTH", Location: westPoint, Category: commonv1.Category_CATEGORY_WATER})
				return err
			}},
			{"LinkDuplicate of OTH's ticket", func() error {
				_, err := tc.LinkDuplicate(ctx, &ticketv1.LinkDuplicateRequest{Id: other, ParentId: w.water["TST"], Reason: "hostile"})
				return err
			}},
			{"LinkDuplicate to OTH's ticket", func() error {
				_, err := tc.LinkDuplicate(ctx, &ticketv1.LinkDuplicateRequest{Id: w.water["TST"], ParentId: other, Reason: "hostile"})
				return err
			}},
			{"UnlinkDuplicate", func() error {
				_, err := tc.UnlinkDuplicate(ctx, &ticketv1.UnlinkDuplicateRequest{Id: other})
				return err
			}},
			{"FollowTicket", func() error {
				_, err := tc.FollowTicket(ctx, &ticketv1.FollowTicketRequest{Id: other})
				return err
			}},
			{"SetTicketPriority", func() error {
				_, err := tc.SetTicketPriority(ctx, &ticketv1.SetTicketPriorityRequest{Id: other, Priority: commonv1.Priority_PRIORITY_P1_CRITICAL, Reason: "hostile"})
				return err
			}},
			{"GetDuplicateSettings naming OTH", func() error {
				_, err := tc.GetDuplicateSettings(ctx, &ticketv1.GetDuplicateSettingsRequest{Tenant: "OTH"})
				return err
			}},
			{"SetDuplicateSettings naming OTH", func() error {
				_, err := tc.SetDuplicateSettings(ctx, &ticketv1.SetDuplicateSettingsRequest{Settings: &ticketv1.DuplicateSettings{Tenant: "OTH"}})
				return err
			}},
		}...)
		for _, a := range grpcAttempts {
			ty.grpc(t, role+" gRPC "+a.what, a.call(), crossTenant...)
		}

		// Unfiltered lists are allowed, but must not show OTH's data.
		list, err := tc.ListTickets(ctx, &ticketv1.ListTicketsRequest{PageSize: 500})
		require.NoError(t, err, role)
		ty.hidden(t, role+" ListTickets", list.GetTickets(), other, "Burst pipe in OTH")
		// OTH's water ticket is at the same point as TST's.
		near, err := tc.ListNearbyTickets(ctx, &ticketv1.ListNearbyTicketsRequest{Location: westPoint, Category: commonv1.Category_CATEGORY_WATER, RadiusMeters: 5000})
		require.NoError(t, err, role)
		require.NotEmpty(t, near.GetTickets(), "%s: the control, TST's own water ticket", role)
		ty.hidden(t, role+" ListNearbyTickets", near.GetTickets(), other)
		if role != "citizen" {
			staff, err := nc.ListStaffContacts(ctx, &notifyv1.ListStaffContactsRequest{})
			require.NoError(t, err, role)
			ty.hidden(t, role+" ListStaffContacts", staff.GetContacts(), "oth-user", "oth.example.org")
			chans, err := nc.ListTeamChannels(ctx, &notifyv1.ListTeamChannelsRequest{})
			require.NoError(t, err, role)
			ty.hidden(t, role+" ListTeamChannels", chans.GetChannels(), otherTeam, "oth.example.org")
			tpls, err := nc.ListTemplates(ctx, &notifyv1.ListTemplatesRequest{})
			require.NoError(t, err, role)
			ty.hidden(t, role+" ListTemplates", tpls.GetTemplates(), othTemplate, "OTH wording")
		}

		tok := w.token("TST", role)
		body := func(format string, args ...any) string { return fmt.Sprintf(format, args...) }
		httpAttempts := []struct{ method, path, body string }{
			{"GET", "/v1/tickets/" + other, ""},
			{"GET", "/v1/tickets?tenant=OTH", ""},
			{"POST", "/v1/tickets", body(`{"tenant":"OTH","category":"CATEGORY_WATER","description":"x","location":{"latitude":%v,"longitude":%v}}`, westPoint.GetLatitude(), westPoint.GetLongitude())},
			{"POST", "/v1/tickets/" + other + ":updateStatus", `{"status":"TICKET_STATUS_CANCELLED","reason":"hostile"}`},
			{"POST", "/v1/tickets/" + other + "/notes", `{"visibility":"NOTE_VISIBILITY_PUBLIC","body":"hostile"}`},
			{"GET", "/v1/tickets/" + other + "/notes", ""},
			{"GET", "/v1/tickets/" + other + "/history", ""},
			{"GET", "/v1/teams/" + otherTeam, ""},
			{"GET", "/v1/teams?tenant=OTH", ""},
			{"POST", "/v1/teams", `{"tenant":"OTH","name":"Rogue","category":"CATEGORY_ROADS","active":true}`},
			{"PATCH", "/v1/teams/" + otherTeam + "?update_mask=name", `{"name":"Hijacked"}`},
			{"POST", "/v1/teams/" + otherTeam + ":deactivate", `{}`},
			{"POST", "/v1/tickets/" + other + ":reassign", body(`{"team_id":%q,"note":"hostile"}`, otherSaps)},
			{"GET", "/v1/tickets/" + other + "/assignments", ""},
			{"GET", "/v1/teams/" + otherTeam + "/queue", ""},
			{"GET", "/v1/triage?tenant=OTH", ""},
			{"GET", "/v1/routes:explain?tenant=OTH&category=CATEGORY_WATER&location.latitude=-33.9&location.longitude=18.45", ""},
			{"GET", "/v1/coverage?tenant=OTH&category=CATEGORY_WATER", ""},
			{"POST", "/v1/boundary-sets:import", `{"tenant":"OTH","effective_time":"2016-08-03T00:00:00Z","feature_collection":{"type":"FeatureCollection",` +
				`"features":[{"type":"Feature","properties":{"WARD":"99900001"},"geometry":{"type":"Polygon","coordinates":[[[18.45,-33.95],[18.5,-33.95],[18.5,-33.9],[18.45,-33.95]]]}}]}}`},
			{"GET", "/v1/boundary-sets?tenant=OTH", ""},
			{"PATCH", "/v1/municipalities/OTH?update_mask=name", `{"name":"Hijacked"}`},
			{"GET", "/v1/sla/tickets/" + other + "/clocks", ""},
			{"GET", "/v1/sla/tickets/" + other + "/clocks:explain", ""},
			{"GET", "/v1/sla/at-risk?tenant=OTH&include_breached=true", ""},
			{"GET", "/v1/sla/compliance?tenant=OTH", ""},
			{"POST", "/v1/sla/configs", `{"municipality":"OTH","category":"CATEGORY_WATER","response_hours":1000,"resolution_hours":2000}`},
			{"GET", "/v1/tickets/" + other + "/attachments", ""},
			{"GET", "/v1/tickets/" + other + "/attachments/" + otherPhoto, ""},
			{"GET", "/v1/tickets/" + other + "/attachments/" + otherPhoto + "/thumbnail", ""},
			{"POST", "/v1/tickets/" + other + "/attachments/" + otherPhoto + ":setPublic", `{"public":true}`},
			{"DELETE", "/v1/tickets/" + other + "/attachments/" + otherPhoto, ""},
			{"GET", "/v1/attachment-retention?tenant=OTH", ""},
			{"GET", "/v1/tickets:nearby?tenant=OTH&category=CATEGORY_WATER&location.latitude=-33.9&location.longitude=18.45", ""},
			{"POST", "/v1/tickets/" + other + ":linkDuplicate", body(`{"parent_id":%q}`, w.water["TST"])},
			{"POST", "/v1/tickets/" + w.water["TST"] + ":linkDuplicate", body(`{"parent_id":%q}`, other)},
			{"POST", "/v1/tickets/" + other + ":unlinkDuplicate", `{}`},
			{"POST", "/v1/tickets/" + other + ":follow", `{}`},
			{"POST", "/v1/tickets/" + other + ":setPriority", `{"priority":"PRIORITY_P1_CRITICAL","reason":"hostile"}`},
			{"GET", "/v1/duplicate-settings?tenant=OTH", ""},
			{"POST", "/v1/duplicate-settings", `{"settings":{"tenant":"OTH"}}`},
			{"POST", "/v1/attachment-retention", `{"tenant":"OTH","retention_days":1}`},
			{"GET", "/v1/tickets/" + other + "/messages", ""},
			{"GET", "/v1/tickets/" + other + "/reporter-preferences", ""},
			{"PUT", "/v1/tickets/" + other + "/reporter-preferences", `{}`},
			{"PATCH", "/v1/notify/templates/" + othTemplate, `{"body":"{{.Reference}} hijacked"}`},
			{"DELETE", "/v1/notify/templates/" + othTemplate, ""},
			{"GET", "/v1/notify/templates?tenant=OTH", ""},
			{"PUT", "/v1/notify/team-channels/" + otherTeam, `{"emails":["evil@example.org"]}`},
			{"DELETE", "/v1/notify/team-channels/" + otherTeam, ""},
			{"DELETE", "/v1/notify/staff-contacts/oth-user", ""},
		}
		for _, a := range httpAttempts {
			code, resp, _ := s.call(a.method, a.path, tok, a.body, nil)
			ty.http(t, role+" "+a.method+" "+a.path, code, resp, 403, 404)
		}
		photo := testPhoto(t, "goexif/sample1.jpg")
		code, resp := s.postMultipart("/v1/tickets/"+other+"/attachments", tok, file("file", "hostile.jpg", photo))
		ty.http(t, role+" POST /v1/tickets/{OTH}/attachments", code, resp, 403, 404)
		code, resp = s.postMultipart("/v1/tickets", tok, field("ticket", body(`{"tenant":"OTH","category":"CATEGORY_WATER","description":"x","location":{"latitude":%v,"longitude":%v}}`,
			westPoint.GetLatitude(), westPoint.GetLongitude())), file("file", "hostile.jpg", photo))
		ty.http(t, role+" POST /v1/tickets with a photo in OTH", code, resp, 403, 404)
		code, resp, _ = s.call("GET", "/v1/tickets?page_size=500&query="+url.QueryEscape("Burst pipe in OTH"), tok, "", nil)
		require.Equal(t, 200, code, resp)
		ty.hidden(t, role+" GET /v1/tickets?query=", resp, other)
	}

	changed := changedTables(before, s.snapshot(t))
	line := ty.report(t, "cross-tenant", len(changed))
	require.Empty(t, changed, line)
	require.Zero(t, ty.accepted, line)
	require.Greater(t, ty.tried, 200, line)
}
