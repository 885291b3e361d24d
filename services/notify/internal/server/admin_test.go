package server_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// requireField asserts err is InvalidArgument naming field.
func requireField(t *testing.T, err error, field string) {
	t.Helper()
	st := status.Convert(err)
	require.Equal(t, codes.InvalidArgument, st.Code(), "%v", err)
	var fields []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				fields = append(fields, v.GetField())
			}
		}
	}
	require.Contains(t, fields, field, "%v", err)
}

func TestTemplatesAreCheckedAtSaveAndUsedAtSend(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := admin(t, "CPT")
	tpl := func(body string) *notifyv1.Template {
		return &notifyv1.Template{Audience: notifyv1.Audience_AUDIENCE_REPORTER, EventKind: notifyv1.EventKind_EVENT_KIND_CREATED,
			Language: commonv1.Language_LANGUAGE_EN, Category: commonv1.Category_CATEGORY_WATER, Subject: "Ref {{.Reference}}", Body: body}
	}
	for _, bad := range []struct{ body, field string }{
		{"Hello {{.Description}}", "template.body"}, {"Hello {{.Reference", "template.body"},
		{"{{.Reference | printf \"%q\"}}", "template.body"}, {"", "template.body"},
	} {
		_, err := h.public.CreateTemplate(ctx, &notifyv1.CreateTemplateRequest{Template: tpl(bad.body)})
		requireField(t, err, bad.field)
	}
	gbv := tpl("{{.Reference}}")
	gbv.Category = commonv1.Category_CATEGORY_GBV
	_, err := h.public.CreateTemplate(ctx, &notifyv1.CreateTemplateRequest{Template: gbv})
	requireField(t, err, "template.category")
	require.Zero(t, h.count(t, `SELECT count(*) FROM notify.templates`), "bad templates change nothing")

	_, err = h.public.CreateTemplate(agent(t, "CPT"), &notifyv1.CreateTemplateRequest{Template: tpl("Water: {{.Reference}}")})
	require.Equal(t, codes.PermissionDenied, status.Code(err), "an agent does not write templates")
	made, err := h.public.CreateTemplate(ctx, &notifyv1.CreateTemplateRequest{Template: tpl("Water report {{.Reference}} is {{.StatusDetail}}.")})
	require.NoError(t, err)
	require.Equal(t, "CPT", made.GetTemplate().GetTenant())
	_, err = h.public.CreateTemplate(ctx, &notifyv1.CreateTemplateRequest{Template: tpl("again {{.Reference}}")})
	require.Equal(t, codes.AlreadyExists, status.Code(err))
	_, err = h.public.UpdateTemplate(ctx, &notifyv1.UpdateTemplateRequest{Id: made.GetTemplate().GetId(), Template: tpl("{{if .Team}}x")})
	requireField(t, err, "template.body")

	prev, err := h.public.PreviewTemplate(agent(t, "CPT"), &notifyv1.PreviewTemplateRequest{Id: made.GetTemplate().GetId()})
	require.NoError(t, err)
	require.Equal(t, "Water report CPT-2026-000123 is in progress.", prev.GetBody())
	_, err = h.public.PreviewTemplate(agent(t, "CPT"), &notifyv1.PreviewTemplateRequest{Template: tpl("{{.Secret}}")})
	requireField(t, err, "template.body")
	_, err = h.public.UpdateTemplate(admin(t, "JHB"), &notifyv1.UpdateTemplateRequest{Id: made.GetTemplate().GetId(), Template: tpl("{{.Reference}}")})
	require.Equal(t, codes.NotFound, status.Code(err), "another municipality's template does not exist for JHB")

	h.work(t)
	h.record(t, created(commonv1.Category_CATEGORY_WATER, &notifyv1.ReporterContact{Email: "a@example.org"}, nil))
	h.record(t, created(commonv1.Category_CATEGORY_ROADS, &notifyv1.ReporterContact{Email: "b@example.org"}, nil))
	h.settle(t)
	for _, o := range h.sent.all() {
		if o.To[0] == "a@example.org" {
			require.True(t, strings.HasPrefix(o.Body, "Water report CPT-2026-000123 is open."), o.Body)
		} else {
			require.True(t, strings.HasPrefix(o.Body, "We received your report."), "another category keeps the default: %s", o.Body)
		}
	}
	list, err := h.public.ListTemplates(agent(t, "CPT"), &notifyv1.ListTemplatesRequest{IncludeDefaults: true})
	require.NoError(t, err)
	require.Len(t, list.GetTemplates(), 1+len(domain.Defaults()))
	_, err = h.public.DeleteTemplate(ctx, &notifyv1.DeleteTemplateRequest{Id: made.GetTemplate().GetId()})
	require.NoError(t, err)
	require.Zero(t, h.count(t, `SELECT count(*) FROM notify.templates`))
}

func TestReporterPreferences(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.work(t)
	water := created(commonv1.Category_CATEGORY_WATER, thandi, nil)
	gbv := created(commonv1.Category_CATEGORY_GBV, survivor, &commonv1.ReporterPreferences{GbvSafeChannel: commonv1.ContactChannel_CONTACT_CHANNEL_EMAIL})
	h.record(t, water)
	h.record(t, gbv)
	h.settle(t)
	reporter := as(t, "CPT", "citizen-1", auth.RoleCitizen)

	got, err := h.public.GetReporterPreferences(reporter, &notifyv1.GetReporterPreferencesRequest{TicketId: water.GetTicketId()})
	require.NoError(t, err)
	require.ElementsMatch(t, []commonv1.ContactChannel{commonv1.ContactChannel_CONTACT_CHANNEL_SMS, commonv1.ContactChannel_CONTACT_CHANNEL_WHATSAPP,
		commonv1.ContactChannel_CONTACT_CHANNEL_EMAIL}, got.GetReachable())
	_, err = h.public.GetReporterPreferences(as(t, "CPT", "someone-else", auth.RoleCitizen), &notifyv1.GetReporterPreferencesRequest{TicketId: water.GetTicketId()})
	require.Equal(t, codes.NotFound, status.Code(err), "another citizen")
	_, err = h.public.UpdateReporterPreferences(reporter, &notifyv1.UpdateReporterPreferencesRequest{TicketId: water.GetTicketId(),
		Preferences: &commonv1.ReporterPreferences{Channels: []commonv1.ContactChannel{commonv1.ContactChannel_CONTACT_CHANNEL_EMAIL},
			Language: commonv1.Language_LANGUAGE_XH}})
	require.NoError(t, err)
	h.record(t, event(water.GetTicketId(), notifyv1.EventKind_EVENT_KIND_ACKNOWLEDGED, commonv1.Category_CATEGORY_WATER))
	h.settle(t)
	last := h.sent.all()[len(h.sent.all())-1]
	require.Equal(t, domain.ChannelEmail, last.Channel)
	require.Contains(t, last.Body, "Umsebenzi uqalile", "isiXhosa from now on")
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM notify.messages WHERE ticket_id = $1 AND kind = 'acknowledged'`, water.GetTicketId()),
		"email only")
	_, err = h.public.UpdateReporterPreferences(reporter, &notifyv1.UpdateReporterPreferencesRequest{TicketId: water.GetTicketId(),
		Preferences: &commonv1.ReporterPreferences{GbvSafeChannel: commonv1.ContactChannel_CONTACT_CHANNEL_SMS}})
	requireField(t, err, "preferences.gbv_safe_channel")

	// GBV: only the liaison, and only off.
	_, err = h.public.UpdateReporterPreferences(saps(t, "CPT"), &notifyv1.UpdateReporterPreferencesRequest{TicketId: gbv.GetTicketId(),
		Preferences: &commonv1.ReporterPreferences{GbvSafeChannel: commonv1.ContactChannel_CONTACT_CHANNEL_SMS}})
	requireField(t, err, "preferences.gbv_safe_channel")
	_, err = h.public.UpdateReporterPreferences(saps(t, "CPT"), &notifyv1.UpdateReporterPreferencesRequest{TicketId: gbv.GetTicketId(),
		Preferences: &commonv1.ReporterPreferences{}})
	require.NoError(t, err)
	h.record(t, event(gbv.GetTicketId(), notifyv1.EventKind_EVENT_KIND_CLOSED, commonv1.Category_CATEGORY_GBV))
	h.settle(t)
	require.Zero(t, h.count(t, `SELECT count(*) FROM notify.messages WHERE ticket_id = $1 AND kind = 'closed'`, gbv.GetTicketId()),
		"switched off: nothing more")
	_, err = h.public.UpdateReporterPreferences(saps(t, "CPT"), &notifyv1.UpdateReporterPreferencesRequest{TicketId: gbv.GetTicketId(),
		Preferences: &commonv1.ReporterPreferences{GbvSafeChannel: commonv1.ContactChannel_CONTACT_CHANNEL_EMAIL}})
	requireField(t, err, "preferences.gbv_safe_channel")
}

func TestTheDirectoryIsTheMunicipalAdmins(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.teams.add("CPT", domain.Team{ID: teamWater, Name: "Water"})
	ctx := admin(t, "CPT")
	_, err := h.public.SetStaffContact(ctx, &notifyv1.SetStaffContactRequest{UserId: "u1", Contact: &notifyv1.StaffContact{Email: "nope"}})
	requireField(t, err, "contact.email")
	_, err = h.public.SetStaffContact(agent(t, "CPT"), &notifyv1.SetStaffContactRequest{UserId: "u1", Contact: &notifyv1.StaffContact{Email: "u1@example.org"}})
	require.Equal(t, codes.PermissionDenied, status.Code(err))
	for _, bad := range []struct {
		ch    *notifyv1.TeamChannel
		field string
	}{
		{&notifyv1.TeamChannel{WebhookUrl: "http://ops.example.org/hook", WebhookSecret: strings.Repeat("s", 40)}, "channel.webhook_url"},
		{&notifyv1.TeamChannel{WebhookUrl: "https://ops.example.org/hook", WebhookSecret: "short"}, "channel.webhook_secret"},
		{&notifyv1.TeamChannel{Emails: []string{"a@example.org", "a@example.org"}}, "channel.emails"},
	} {
		_, err := h.public.SetTeamChannel(ctx, &notifyv1.SetTeamChannelRequest{TeamId: teamWater, Channel: bad.ch})
		requireField(t, err, bad.field)
	}
	_, err = h.public.SetTeamChannel(ctx, &notifyv1.SetTeamChannelRequest{TeamId: teamSAPS, Channel: &notifyv1.TeamChannel{Emails: []string{"x@example.org"}}})
	require.Equal(t, codes.NotFound, status.Code(err), "routing has no such team in CPT")
	got, err := h.public.SetTeamChannel(ctx, &notifyv1.SetTeamChannelRequest{TeamId: teamWater, Channel: &notifyv1.TeamChannel{
		WebhookUrl: "https://ops.example.org/hook", WebhookSecret: strings.Repeat("s", 40)}})
	require.NoError(t, err)
	require.Empty(t, got.GetChannel().GetWebhookSecret(), "never returned")
	require.True(t, got.GetChannel().GetHasWebhookSecret())
	got, err = h.public.SetTeamChannel(ctx, &notifyv1.SetTeamChannelRequest{TeamId: teamWater, Channel: &notifyv1.TeamChannel{
		WebhookUrl: "https://ops.example.org/hook2", BusinessHoursOnly: true}})
	require.NoError(t, err, "an update without the secret keeps it")
	require.True(t, got.GetChannel().GetHasWebhookSecret())
	list, err := h.public.ListTeamChannels(agent(t, "CPT"), &notifyv1.ListTeamChannelsRequest{})
	require.NoError(t, err)
	require.Len(t, list.GetChannels(), 1)
	require.Empty(t, list.GetChannels()[0].GetWebhookSecret())
	other, err := h.public.ListTeamChannels(agent(t, "JHB"), &notifyv1.ListTeamChannelsRequest{})
	require.NoError(t, err)
	require.Empty(t, other.GetChannels(), "another municipality's directory")
}
