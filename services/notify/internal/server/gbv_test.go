package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// survivor is a GBV reporter: every field is sealed content.
var survivor = &notifyv1.ReporterContact{Name: "Survivor Nomsa", Phone: "+27825550101", Email: "nomsa.survivor@example.org"}

// sealedContent is what no answer to anyone may carry.
var sealedContent = []string{"Survivor", "Nomsa", "825550101", "nomsa.survivor", "Secret"}

// gbvReads are the RPCs that answer about one ticket: each is called about
// a GBV ticket by the SAPS liaison (who reads it, without sealed content)
// and by everyone else (who gets what a missing ticket gets).
var gbvReads = map[string]func(ctx context.Context, h *harness, ticket string) (proto.Message, error){
	rpcListTicketMessages: func(ctx context.Context, h *harness, ticket string) (proto.Message, error) {
		return h.public.ListTicketMessages(ctx, &notifyv1.ListTicketMessagesRequest{TicketId: ticket})
	},
	rpcGetReporterPreferences: func(ctx context.Context, h *harness, ticket string) (proto.Message, error) {
		return h.public.GetReporterPreferences(ctx, &notifyv1.GetReporterPreferencesRequest{TicketId: ticket})
	},
	rpcUpdateReporterPreferences: func(ctx context.Context, h *harness, ticket string) (proto.Message, error) {
		return h.public.UpdateReporterPreferences(ctx, &notifyv1.UpdateReporterPreferencesRequest{TicketId: ticket,
			Preferences: &commonv1.ReporterPreferences{GbvSafeChannel: commonv1.ContactChannel_CONTACT_CHANNEL_SMS}})
	},
}

// noTicketContent are the RPCs that answer nothing about a ticket, so
// nothing sealed.
var noTicketContent = map[string]string{
	rpcCreateTemplate:          "templates: GBV has none (refused at save)",
	rpcUpdateTemplate:          "templates",
	rpcDeleteTemplate:          "templates",
	rpcListTemplates:           "templates",
	rpcPreviewTemplate:         "a sample ticket",
	rpcSetStaffContact:         "the staff directory",
	rpcDeleteStaffContact:      "the staff directory",
	rpcListStaffContacts:       "the staff directory",
	rpcSetTeamChannel:          "the staff directory",
	rpcDeleteTeamChannel:       "the staff directory",
	rpcListTeamChannels:        "the staff directory (no secrets)",
	rpcGetNotifySettings:       "settings",
	rpcUpdateNotifySettings:    "settings",
	rpcRecordTicketEvent:       "answers applied only",
	rpcBatchRecordTicketEvents: "answers applied only, per event",
	rpcReceiveWebhook:          "answers counts and the provider's challenge only",
	rpcUnsubscribe:             "answers the channel and language only",
	rpcSendReportExport:        "answers a count only; a report file counts no GBV",
}

// TestNoAnswerCarriesSealedGBVContent enumerates the RPCs from the
// descriptors: the few that answer about a ticket are called about a GBV
// ticket whose reporter's contact is sealed. The SAPS liaison reads them
// without any of it (so no answer needs an entry in the GBV access log);
// every other role, the reporter's own account and another
// municipality's liaison get exactly what a ticket never heard of gets.
func TestNoAnswerCarriesSealedGBVContent(t *testing.T) {
	t.Parallel()
	requireClassified(t, "sealed content", gbvReads, noTicketContent)
	h := newHarness(t)
	staffed(t, h)
	h.work(t)
	c := created(commonv1.Category_CATEGORY_GBV, survivor, &commonv1.ReporterPreferences{GbvSafeChannel: commonv1.ContactChannel_CONTACT_CHANNEL_SMS})
	h.record(t, c)
	h.settle(t)
	missing := uuid.NewString()
	for _, m := range notifyRPCs(t) {
		call, ok := gbvReads[m]
		if !ok {
			continue
		}
		t.Run(m+" for the SAPS liaison carries no sealed content", func(t *testing.T) {
			got, err := call(saps(t, "CPT"), h, c.GetTicketId())
			require.NoError(t, err)
			text := prototext.Format(got)
			for _, s := range sealedContent {
				require.NotContains(t, text, s)
			}
		})
		for _, who := range []struct {
			name string
			ctx  context.Context
		}{
			{"an agent", agent(t, "CPT")}, {"a team manager", as(t, "CPT", "tm", auth.RoleTeamManager)},
			{"a municipal admin", admin(t, "CPT")}, {"the reporter's own account", as(t, "CPT", "citizen-1", auth.RoleCitizen)},
			{"a platform admin", as(t, "*", "root", auth.RolePlatformAdmin)}, {"another municipality's liaison", saps(t, "JHB")},
			{"a platform admin who is a liaison too", as(t, "*", "root", auth.RolePlatformAdmin, auth.RoleSAPSLiaison)},
		} {
			t.Run(m+" for "+who.name+" is as for a missing ticket", func(t *testing.T) {
				_, err := call(who.ctx, h, c.GetTicketId())
				_, errMissing := call(who.ctx, h, missing)
				require.Error(t, err)
				require.Equal(t, status.Code(errMissing), status.Code(err))
				require.Equal(t, status.Convert(errMissing).Message(), status.Convert(err).Message())
				require.Contains(t, []codes.Code{codes.NotFound, codes.PermissionDenied}, status.Code(err))
			})
		}
	}
}

// TestGBVMessagesCarryOnlyTheNeutralText is the leakage test: every kind
// of event about GBV tickets, on every channel, with the ticket service's
// second wall down (it sends the team's name and a note, which it never
// does for GBV). A reporter who did not opt in hears nothing; one who did
// hears only on the safe channel; every message is the neutral text with
// the reference; staff outside SAPS hear nothing; no message, subject,
// template parameter or webhook payload carries the category, the team,
// the note or the reporter's contact.
func TestGBVMessagesCarryOnlyTheNeutralText(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staffed(t, h)
	h.work(t)
	safe := map[string]commonv1.ContactChannel{"none": 0, "sms": commonv1.ContactChannel_CONTACT_CHANNEL_SMS,
		"whatsapp": commonv1.ContactChannel_CONTACT_CHANNEL_WHATSAPP, "email": commonv1.ContactChannel_CONTACT_CHANNEL_EMAIL}
	tickets := map[string]string{}
	for name, ch := range safe {
		c := created(commonv1.Category_CATEGORY_GBV, survivor, &commonv1.ReporterPreferences{GbvSafeChannel: ch,
			Language: commonv1.Language_LANGUAGE_ZU, Channels: []commonv1.ContactChannel{commonv1.ContactChannel_CONTACT_CHANNEL_EMAIL}})
		c.Reference = "CPT-2026-0000" + map[string]string{"none": "10", "sms": "11", "whatsapp": "12", "email": "13"}[name]
		h.record(t, c)
		tickets[name] = c.GetTicketId()
		for _, kind := range notifyv1.EventKind_value {
			k := notifyv1.EventKind(kind)
			if k == notifyv1.EventKind_EVENT_KIND_UNSPECIFIED || k == notifyv1.EventKind_EVENT_KIND_CREATED {
				continue
			}
			for _, team := range []string{teamSAPS, teamWater} {
				e := event(c.GetTicketId(), k, commonv1.Category_CATEGORY_GBV)
				e.Reference, e.TeamId, e.TeamName, e.PersonId = c.GetReference(), team, "Secret Team Name", "person-1"
				e.Note, e.Clock, e.EscalationLevel = "Secret note: the address", notifyv1.SlaClock_SLA_CLOCK_RESPONSE, 1
				h.record(t, e)
			}
		}
	}
	h.settle(t)

	// Each kind was sent twice per ticket (a SAPS and a water team), but
	// the created event once: a reporter hears of 1 + 6*2 events.
	reporterMsgs, staffKinds := 1+6*2, 4
	out := h.sent.all()
	require.NotEmpty(t, out)
	byTo := map[string]int{}
	for _, o := range out {
		for _, a := range o.To {
			byTo[string(o.Channel)+" "+a]++
		}
		text := strings.Join(append([]string{o.Subject, o.Body, string(o.Payload)}, o.TemplateParams...), " ")
		for _, s := range append(sealedContent, "water", `"category"`, "Ward 57") {
			require.NotContains(t, text, s, "%s message %s", o.Channel, o.MessageID)
		}
		if o.Channel == domain.ChannelWhatsApp {
			require.True(t, o.GBV, "the neutral WhatsApp template")
			require.Len(t, o.TemplateParams, 1, "the reference alone")
		}
	}
	// The reporters: nothing without the opt-in, the safe channel only
	// with it (the email they also chose for other reports is ignored).
	require.Zero(t, h.count(t, `SELECT count(*) FROM notify.messages WHERE ticket_id = $1 AND recipient = 'reporter'`, tickets["none"]))
	for _, ch := range []string{"sms", "whatsapp", "email"} {
		require.Equal(t, reporterMsgs, h.count(t, `SELECT count(*) FROM notify.messages WHERE ticket_id = $1 AND recipient = 'reporter'
			AND channel = $2`, tickets[ch], ch), "%s: one message per event reporters hear of", ch)
		require.Zero(t, h.count(t, `SELECT count(*) FROM notify.messages WHERE ticket_id = $1 AND recipient = 'reporter'
			AND channel <> $2`, tickets[ch], ch))
	}
	require.Equal(t, 2*reporterMsgs, byTo["sms +27825550101"]+byTo["whatsapp +27825550101"])
	require.Equal(t, reporterMsgs, byTo["email nomsa.survivor@example.org"])
	// Every reporter message is the neutral text, in isiZulu.
	rows, err := h.pool.Query(context.Background(), `SELECT body, t.reference FROM notify.messages m JOIN notify.tickets t ON t.id = m.ticket_id
		WHERE m.recipient = 'reporter'`)
	require.NoError(t, err)
	for rows.Next() {
		var body, ref string
		require.NoError(t, rows.Scan(&body, &ref))
		_, want := domain.NeutralText(domain.AudienceReporter, ref, domain.LangZU)
		require.Equal(t, want, body)
	}
	require.NoError(t, rows.Err())
	// Staff: only the SAPS team and its people; never the water team's.
	for _, addr := range []string{"email water@cpt.example.org", "email team-01@cpt.example.org", "email ops@cpt.example.org"} {
		require.Zero(t, byTo[addr], addr)
	}
	require.NotZero(t, byTo["email saps@cpt.example.org"])
	require.NotZero(t, byTo["email team-03@cpt.example.org"])
	require.Zero(t, h.count(t, `SELECT count(*) FROM notify.messages m WHERE m.recipient <> 'reporter' AND m.body NOT LIKE 'Ticket CPT-2026-%'`),
		"staff get the neutral staff text only")
	require.Equal(t, len(safe)*staffKinds, h.count(t, `SELECT count(DISTINCT event_id) FROM notify.messages WHERE recipient <> 'reporter'`),
		"per ticket, the SAPS team's assigned, escalated, warning and breach; the water team's events: none")
	require.Zero(t, h.count(t, `SELECT count(*) FROM notify.events WHERE gbv AND (team_name <> '' OR note <> '')`),
		"the second wall: nothing of the kind is stored")
}
