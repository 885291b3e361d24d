package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// allowNightMessages lets tenant's reporters hear at any hour, so the
// tests pass whatever the time in Johannesburg.
func (s *suite) allowNightMessages(t *testing.T, tenant string) {
	t.Helper()
	code, body, _ := s.call("PUT", "/v1/notify/settings", s.token("admin-"+tenant, tenant, "municipal_admin"), `{"reporter_messages_at_night":true}`, nil)
	require.Equal(t, 200, code, "%v", body)
}

// setStaffContact gives user of tenant an email in notify's directory.
func (s *suite) setStaffContact(t *testing.T, tenant, user, email string) {
	t.Helper()
	code, body, _ := s.call("PUT", "/v1/notify/staff-contacts/"+url.PathEscape(user), s.token("admin-"+tenant, tenant, "municipal_admin"),
		`{"email":"`+email+`","language":"LANGUAGE_EN"}`, nil)
	require.Equal(t, 200, code, "%v", body)
}

// messages lists a ticket's messages as role of tenant.
func (s *suite) messages(t *testing.T, tenant, role, ticket string) []*notifyv1.Message {
	t.Helper()
	nc := notifyv1.NewNotifyServiceClient(s.dial(s.notifyAddr, s.token(role+"-"+tenant, tenant, role)))
	got, err := nc.ListTicketMessages(context.Background(), &notifyv1.ListTicketMessagesRequest{TicketId: ticket})
	require.NoError(t, err)
	return got.GetMessages()
}

func TestAReporterHearsOfEachStepOnceByEmailAndSMSAndSTOPEndsSMS(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{messaging: true})
	s.seedCity(t, "TST")
	s.allowNightMessages(t, "TST")
	ctx := context.Background()
	const email, typed, phone = "thandi@tst.test", "082 555 0100", "+27825550100"

	// Reported through the gateway, the phone as people type it.
	code, body, _ := s.call("POST", "/v1/tickets", s.token("citizen-1", "TST", "citizen"), `{"category":"CATEGORY_WATER",
		"description":"Burst pipe on Long St","location":{"latitude":-33.90,"longitude":18.45},
		"reporter":{"name":"Thandi","phone":"`+typed+`","email":"`+email+`"},
		"reporter_preferences":{"language":"LANGUAGE_AF","channels":["CONTACT_CHANNEL_SMS","CONTACT_CHANNEL_EMAIL"]}}`, nil)
	require.Equal(t, 200, code, "%v", body)
	tk := body["ticket"].(map[string]any)
	id, ref := tk["id"].(string), tk["reference"].(string)
	require.Equal(t, phone, tk["reporter"].(map[string]any)["phone"], "stored in E.164")

	agent := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("agent-1", "TST", "agent")))
	s.waitRoutedAndClocked(agent, id)
	wait := func(emails, texts int) {
		t.Helper()
		s.eventually(60*time.Second, fmt.Sprintf("%d emails and %d SMS", emails, texts), func() (bool, string) {
			e, m := len(s.mail.to(email)), len(s.sms.to(phone))
			return e == emails && m == texts, fmt.Sprintf("%d emails, %d SMS", e, m)
		})
	}
	wait(2, 2) // created, assigned
	for _, to := range []commonv1.TicketStatus{commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, commonv1.TicketStatus_TICKET_STATUS_RESOLVED} {
		_, err := agent.UpdateTicketStatus(ctx, &ticketv1.UpdateTicketStatusRequest{Id: id, Status: to, Reason: "crew on site"})
		require.NoError(t, err)
	}
	wait(4, 4)
	time.Sleep(2 * time.Second)
	wait(4, 4) // and no more: one per event

	// One of each, in Afrikaans, with the reference (events of moments
	// apart may be delivered in either order).
	want := []string{"Ons het u verslag", "is by Water West", "Daar word aan u verslag", "is opgelos"}
	mails, texts := s.mail.to(email), s.sms.to(phone)
	for _, w := range want {
		inMail, inSMS := 0, 0
		for i := range mails {
			if strings.Contains(mails[i].Text, w) {
				inMail++
			}
			if strings.Contains(texts[i].Body, w) {
				inSMS++
			}
		}
		require.Equal(t, 1, inMail, "one email says %q", w)
		require.Equal(t, 1, inSMS, "one SMS says %q", w)
	}
	for i := range mails {
		require.Contains(t, mails[i].Text, ref)
		require.Contains(t, mails[i].Text, "Hou op met hierdie e-posse: "+s.gatewayURL+"/notify/unsubscribe?")
		require.Equal(t, []string{"af"}, mails[i].Headers["Content-Language"])
		require.NotEmpty(t, mails[i].Headers["List-Unsubscribe"])
		require.Contains(t, texts[i].Body, ref)
		require.Contains(t, texts[i].Body, "Antwoord STOP")
		require.Equal(t, s.gatewayURL+"/notify/webhooks/TST/twilio", texts[i].StatusCallback)
	}

	// Twilio's receipts: unsigned or wrongly signed change nothing.
	cb := func(sid string) url.Values {
		return url.Values{"AccountSid": {twilioSID}, "MessageSid": {sid}, "MessageStatus": {"delivered"}, "To": {phone}}
	}
	require.Equal(t, 401, s.twilioPost("TST", cb(texts[0].SID), false))
	require.Equal(t, 403, s.twilioPostSignedAs("TST", cb(texts[0].SID), "not-the-token"))
	delivered := func() int {
		n := 0
		for _, m := range s.messages(t, "TST", "agent", id) {
			if m.GetState() == notifyv1.MessageState_MESSAGE_STATE_DELIVERED {
				n++
			}
		}
		return n
	}
	require.Zero(t, delivered())
	for _, m := range texts {
		require.Equal(t, 200, s.twilioPost("TST", cb(m.SID), true))
	}
	ms := s.messages(t, "TST", "agent", id)
	require.Len(t, ms, 8, "4 events, 2 channels, nothing else")
	for _, m := range ms {
		require.Equal(t, notifyv1.RecipientKind_RECIPIENT_KIND_REPORTER, m.GetRecipientKind())
		switch m.GetChannel() {
		case notifyv1.MessageChannel_MESSAGE_CHANNEL_SMS:
			require.Equal(t, notifyv1.MessageState_MESSAGE_STATE_DELIVERED, m.GetState(), "SMS: the receipt says delivered")
		case notifyv1.MessageChannel_MESSAGE_CHANNEL_EMAIL:
			require.Equal(t, notifyv1.MessageState_MESSAGE_STATE_SENT, m.GetState(), "email: the mail server took it")
		}
	}

	// STOP ends SMS; email goes on.
	require.Equal(t, 200, s.twilioPost("TST", url.Values{"AccountSid": {twilioSID}, "MessageSid": {"SMin1"}, "From": {phone},
		"To": {twilioFrom}, "Body": {"STOP"}, "SmsStatus": {"received"}}, true))
	_, err := agent.UpdateTicketStatus(ctx, &ticketv1.UpdateTicketStatusRequest{Id: id, Status: commonv1.TicketStatus_TICKET_STATUS_CLOSED})
	require.NoError(t, err)
	wait(5, 4)
	s.eventually(30*time.Second, "the closed SMS suppressed", func() (bool, string) {
		for _, m := range s.messages(t, "TST", "agent", id) {
			if m.GetEventKind() == notifyv1.EventKind_EVENT_KIND_CLOSED && m.GetChannel() == notifyv1.MessageChannel_MESSAGE_CHANNEL_SMS {
				return m.GetState() == notifyv1.MessageState_MESSAGE_STATE_SUPPRESSED, m.GetState().String()
			}
		}
		return false, "no closed SMS message yet"
	})
	require.Len(t, s.sms.to(phone), 4)
	t.Logf("reporter: 4 events -> %d emails in Mailpit and %d SMS at the fake (one each, Afrikaans), %d SMS delivered by receipt; "+
		"after STOP the closed event -> 1 email, 0 SMS (suppressed)", len(mails), len(texts), len(texts))
}

// twilioPostSignedAs posts form signed with another auth token.
func (s *suite) twilioPostSignedAs(tenant string, form url.Values, token string) int {
	s.t.Helper()
	u := s.gatewayURL + "/notify/webhooks/" + tenant + "/twilio"
	code, _, _ := s.call("POST", "/notify/webhooks/"+tenant+"/twilio", "", form.Encode(), map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signWith(token, u, form)})
	return code
}

func TestAGBVReporterHearsOnlyWhatTheSafetyRuleAllows(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{messaging: true})
	teams := s.seedCity(t, "TST")
	s.allowNightMessages(t, "TST")
	s.setStaffContact(t, "TST", "mgr-SAPS Liaison", "saps-manager@tst.test")
	ctx := context.Background()
	citizen := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("citizen-1", "TST", "citizen")))
	saps := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("saps-1", "TST", "saps_liaison")))
	report := func(phone, email string, safe commonv1.ContactChannel) string {
		resp, err := citizen.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_GBV,
			Description: gbvSecret, Location: westPoint, Address: "Behind the clinic on Main Rd",
			Reporter:            &ticketv1.Reporter{Name: "Nomsa", Phone: phone, Email: email},
			ReporterPreferences: &commonv1.ReporterPreferences{GbvSafeChannel: safe, Channels: []commonv1.ContactChannel{commonv1.ContactChannel_CONTACT_CHANNEL_EMAIL}}})
		require.NoError(t, err)
		return resp.GetTicket().GetId()
	}
	optedIn := report("+27825550201", "optin@tst.test", commonv1.ContactChannel_CONTACT_CHANNEL_SMS)
	silent := report("+27825550202", "silent@tst.test", 0)
	// Every event the suite can make of a GBV ticket.
	for _, id := range []string{optedIn, silent} {
		got := s.waitRoutedAndClocked(saps, id)
		require.Equal(t, teams.saps, got.GetAssignedTeamId())
		for _, to := range []commonv1.TicketStatus{commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, commonv1.TicketStatus_TICKET_STATUS_AWAITING_CITIZEN,
			commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, commonv1.TicketStatus_TICKET_STATUS_RESOLVED, commonv1.TicketStatus_TICKET_STATUS_CLOSED} {
			_, err := saps.UpdateTicketStatus(ctx, &ticketv1.UpdateTicketStatusRequest{Id: id, Status: to, Reason: "Statement: " + gbvSecret})
			require.NoError(t, err)
			if to == commonv1.TicketStatus_TICKET_STATUS_AWAITING_CITIZEN {
				_, err = saps.AddTicketNote(ctx, &ticketv1.AddTicketNoteRequest{TicketId: id, Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC,
					Body: "Public note: " + gbvSecret})
				require.NoError(t, err)
			}
		}
	}
	// created, assigned, acknowledged, awaiting, note, in progress, resolved, closed
	const events = 8
	s.eventually(60*time.Second, "the opted-in reporter's SMS", func() (bool, string) {
		n := len(s.sms.to("+27825550201"))
		return n == events, fmt.Sprintf("%d SMS", n)
	})
	time.Sleep(2 * time.Second)
	require.Len(t, s.sms.to("+27825550201"), events, "no more")
	require.Empty(t, s.sms.to("+27825550202"), "no opt-in: nothing")
	require.Empty(t, s.mail.to("optin@tst.test"), "only the safe channel")
	require.Empty(t, s.mail.to("silent@tst.test"))
	var ref string
	resp, err := saps.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: optedIn})
	require.NoError(t, err)
	ref = resp.GetTicket().GetReference()
	for _, m := range s.sms.to("+27825550201") {
		require.Equal(t, "Your reference "+ref+" has an update. Call 10111 or the GBV Command Centre 0800 428 428.\nReply STOP to opt out.", m.Body)
	}
	for _, e := range s.mail.to("saps-manager@tst.test") {
		for _, leak := range []string{"Umzimkhulu", "clinic", "SAPS Liaison", "Nomsa", "gbv"} {
			require.NotContains(t, e.Subject+e.Text, leak)
		}
	}
	// The SAPS liaison lists the messages; anyone else gets what a missing
	// ticket gets.
	ms := s.messages(t, "TST", "saps_liaison", optedIn)
	require.Len(t, ms, events)
	nc := notifyv1.NewNotifyServiceClient(s.dial(s.notifyAddr, s.token("agent-1", "TST", "agent")))
	_, err = nc.ListTicketMessages(ctx, &notifyv1.ListTicketMessagesRequest{TicketId: optedIn})
	require.Error(t, err)
	t.Logf("GBV: opted-in reporter %d SMS, all the neutral text; 0 to the reporter without opt-in; 0 emails to either", events)
}

func TestStaffGetEachWarningAndBreachOnceWithTwoNotifyReplicasAndAKilledOne(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{messaging: true, notifyReplicas: 2, extraEnv: []string{"SLA_SWEEP_INTERVAL=500ms"}})
	s.seedCity(t, "TST")
	const manager = "roads-manager@tst.test"
	s.setStaffContact(t, "TST", "mgr-Roads", manager)
	ctx := context.Background()
	sla := slav1.NewSlaServiceClient(s.dial(s.slaAddr, s.token("platform-1", "TST", "platform_admin")))
	// A tiny SLA: warnings at half of 2 s (response) and 4 s (resolution).
	_, err := sla.CreateSlaConfig(ctx, &slav1.CreateSlaConfigRequest{Config: &slav1.SlaConfig{Municipality: "TST",
		Category: commonv1.Category_CATEGORY_ROADS, ResponseHours: 2.0 / 3600, ResolutionHours: 4.0 / 3600, WarningThresholdPct: 50}})
	require.NoError(t, err)
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("agent-1", "TST", "agent")))
	created, err := tc.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_ROADS,
		Description: "Pothole swallowing cars", Location: eastPoint})
	require.NoError(t, err)
	id := created.GetTicket().GetId()

	notices := func() map[string][]email {
		out := map[string][]email{}
		for _, e := range s.mail.to(manager) {
			if strings.Contains(e.Subject, "deadline") {
				out[e.Subject] = append(out[e.Subject], e)
			}
		}
		return out
	}
	s.eventually(60*time.Second, "the first warning reaches the manager", func() (bool, string) {
		n := len(notices())
		return n > 0, fmt.Sprintf("%d notices", n)
	})
	s.notifyReplicas[1].kill() // SIGKILL, mid-stream

	// Every warning and breach the SLA service recorded reaches the
	// manager exactly once, and nothing else does. A delivery the killed
	// replica had claimed comes back only through River's rescue
	// (libs/queue.RescueAfter, 45 s, found by a rescuer that runs every
	// 30 s on the leader, which may itself have to be re-elected), so under
	// the parallel suites' load the last email can come minutes late.
	s.eventually(240*time.Second, "one email per clock event", func() (bool, string) {
		clocks, err := sla.GetTicketClocks(ctx, &slav1.GetTicketClocksRequest{TicketId: id})
		if err != nil {
			return false, err.Error()
		}
		events := map[string]slav1.ClockEventKind{}
		for _, e := range clocks.GetEvents() {
			events[e.GetEventId()] = e.GetKind()
		}
		staff := map[string]string{} // event id -> message id
		for _, m := range s.messages(t, "TST", "agent", id) {
			k := m.GetEventKind()
			if m.GetRecipientId() == "mgr-Roads" && (k == notifyv1.EventKind_EVENT_KIND_SLA_WARNING || k == notifyv1.EventKind_EVENT_KIND_SLA_BREACH) {
				if _, dup := staff[m.GetEventId()]; dup {
					t.Fatalf("two messages for event %s", m.GetEventId())
				}
				staff[m.GetEventId()] = m.GetId()
			}
		}
		byID := map[string]int{}
		total := 0
		for _, es := range notices() {
			for _, e := range es {
				byID[strings.Trim(strings.Join(e.Headers["Message-Id"], ""), "<>")]++
				total++
			}
		}
		for _, n := range byID {
			if n > 1 {
				t.Fatalf("an email sent twice: %v", byID)
			}
		}
		for ev := range events {
			if msg, ok := staff[ev]; !ok || byID[msg+"@trustengine.notify"] != 1 {
				return false, fmt.Sprintf("%d clock events, %d staff messages, %d emails", len(events), len(staff), total)
			}
		}
		return len(events) >= 4 && total == len(events), fmt.Sprintf("%d clock events, %d staff messages, %d emails", len(events), len(staff), total)
	})
	warnings, breaches := 0, 0
	for subject, es := range notices() {
		if strings.Contains(subject, "close") {
			warnings += len(es)
		} else {
			breaches += len(es)
		}
	}
	require.NotZero(t, warnings)
	require.NotZero(t, breaches)
	t.Logf("staff: %d warning and %d breach emails to the manager, one per clock event, with notify-1 killed after the first", warnings, breaches)
}
