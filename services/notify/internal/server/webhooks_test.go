package server_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/services/notify/internal/domain"
	"github.com/salga/trustengine/services/notify/internal/peers"
)

// statusCallback is Twilio's status callback of message sid.
func statusCallback(sid, st string) url.Values {
	return url.Values{"AccountSid": {"AC1"}, "MessageSid": {sid}, "MessageStatus": {st}, "To": {"+27821234567"}}
}

// inboundSMS is Twilio's webhook of an SMS from a reporter.
func inboundSMS(from, body string) url.Values {
	return url.Values{"AccountSid": {"AC1"}, "MessageSid": {"SMin"}, "From": {from}, "To": {"+27870000000"}, "Body": {body}, "SmsStatus": {"received"}}
}

// twilioWebhook is form as the gateway forwards it, signed as Twilio signs.
func twilioWebhook(h *harness, tenant string, form url.Values) *notifyv1.ReceiveWebhookRequest {
	path := "/notify/webhooks/" + tenant + "/twilio"
	return &notifyv1.ReceiveWebhookRequest{Tenant: tenant, Provider: notifyv1.WebhookProvider_WEBHOOK_PROVIDER_TWILIO, Method: "POST",
		Path: path, Body: []byte(form.Encode()), Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded",
			"X-Twilio-Signature": peers.TwilioSignature(twilioToken, publicURL+path, form)}}
}

// messageOf returns the id and state of ticket's message on ch.
func messageOf(t *testing.T, h *harness, ticket string, ch domain.Channel) (id, state string) {
	t.Helper()
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT id::text, state FROM notify.messages WHERE ticket_id = $1 AND channel = $2
		ORDER BY create_time DESC LIMIT 1`, ticket, string(ch)).Scan(&id, &state))
	return id, state
}

func TestAWebhookChangesNothingUnlessItsSignatureHolds(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.work(t)
	c := created(commonv1.Category_CATEGORY_WATER, thandi, nil)
	h.record(t, c)
	h.settle(t)
	id, st := messageOf(t, h, c.GetTicketId(), domain.ChannelSMS)
	require.Equal(t, "sent", st)
	ctx := gateway(t, "CPT")
	delivered := twilioWebhook(h, "CPT", statusCallback("pid-"+id, "delivered"))
	stop := twilioWebhook(h, "CPT", inboundSMS(thandi.GetPhone(), "STOP"))
	state := func() []int {
		return []int{h.count(t, `SELECT count(*) FROM notify.messages WHERE state = 'delivered'`), h.count(t, `SELECT count(*) FROM notify.opt_outs`),
			h.count(t, `SELECT count(*) FROM notify.receipts`), h.count(t, `SELECT count(*) FROM notify.inbound`)}
	}
	before := state()
	for _, tc := range []struct {
		name string
		edit func(r *notifyv1.ReceiveWebhookRequest)
		code codes.Code
	}{
		{"unsigned", func(r *notifyv1.ReceiveWebhookRequest) { delete(r.Headers, "X-Twilio-Signature") }, codes.Unauthenticated},
		{"signed with another token", func(r *notifyv1.ReceiveWebhookRequest) {
			r.Headers["X-Twilio-Signature"] = peers.TwilioSignature("not-the-token", publicURL+r.GetPath(), statusCallback("x", "y"))
		}, codes.PermissionDenied},
		{"its body changed after signing", func(r *notifyv1.ReceiveWebhookRequest) { r.Body = append(r.Body, []byte("&Extra=1")...) }, codes.PermissionDenied},
		{"signed for another URL", func(r *notifyv1.ReceiveWebhookRequest) { r.Path = "/notify/webhooks/CPT/twilio?x=1" }, codes.PermissionDenied},
		{"from a provider not configured", func(r *notifyv1.ReceiveWebhookRequest) {
			r.Provider = notifyv1.WebhookProvider(9)
		}, codes.InvalidArgument},
	} {
		for _, base := range []*notifyv1.ReceiveWebhookRequest{delivered, stop} {
			t.Run(tc.name, func(t *testing.T) {
				r := cloneWebhook(base)
				tc.edit(r)
				_, err := h.internal.ReceiveWebhook(ctx, r)
				require.Equal(t, tc.code, status.Code(err), "%v", err)
				require.Equal(t, before, state(), "nothing changed")
			})
		}
	}

	// Signed: the receipt delivers, STOP opts the phone out of SMS only.
	got, err := h.internal.ReceiveWebhook(ctx, delivered)
	require.NoError(t, err)
	require.Equal(t, int32(1), got.GetReceipts())
	_, st = messageOf(t, h, c.GetTicketId(), domain.ChannelSMS)
	require.Equal(t, "delivered", st)
	got, err = h.internal.ReceiveWebhook(ctx, stop)
	require.NoError(t, err)
	require.Equal(t, int32(1), got.GetOptOuts())
	require.Contains(t, string(got.GetBody()), "<Response>")
	again, err := h.internal.ReceiveWebhook(ctx, stop)
	require.NoError(t, err)
	require.Zero(t, again.GetOptOuts(), "a second STOP changes nothing")

	e := event(c.GetTicketId(), notifyv1.EventKind_EVENT_KIND_RESOLVED, commonv1.Category_CATEGORY_WATER)
	h.record(t, e)
	h.settle(t)
	_, st = messageOf(t, h, c.GetTicketId(), domain.ChannelSMS)
	require.Equal(t, "suppressed", st, "STOP ends SMS")
	_, st = messageOf(t, h, c.GetTicketId(), domain.ChannelEmail)
	require.Equal(t, "sent", st, "email goes on")
	prefs, err := h.public.GetReporterPreferences(agent(t, "CPT"), &notifyv1.GetReporterPreferencesRequest{TicketId: c.GetTicketId()})
	require.NoError(t, err)
	require.Equal(t, []commonv1.ContactChannel{commonv1.ContactChannel_CONTACT_CHANNEL_SMS}, prefs.GetOptedOut())
}

func cloneWebhook(r *notifyv1.ReceiveWebhookRequest) *notifyv1.ReceiveWebhookRequest {
	out := &notifyv1.ReceiveWebhookRequest{Tenant: r.GetTenant(), Provider: r.GetProvider(), Method: r.GetMethod(), Path: r.GetPath(),
		Body: append([]byte(nil), r.GetBody()...), Headers: map[string]string{}}
	for k, v := range r.GetHeaders() {
		out.Headers[k] = v
	}
	return out
}

func TestAReceiptBeforeTheSendIsRecordedIsAppliedWithIt(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := created(commonv1.Category_CATEGORY_WATER, &notifyv1.ReporterContact{Phone: "+27829990010"}, nil)
	h.record(t, c)
	require.NoError(t, h.app.PlanEvent(context.Background(), "CPT", c.GetEventId()))
	id, st := messageOf(t, h, c.GetTicketId(), domain.ChannelSMS)
	require.Equal(t, "queued", st)
	got, err := h.internal.ReceiveWebhook(gateway(t, "CPT"), twilioWebhook(h, "CPT", statusCallback("pid-"+id, "delivered")))
	require.NoError(t, err)
	require.Zero(t, got.GetReceipts(), "kept, not yet applied")
	require.NoError(t, h.app.DeliverMessage(context.Background(), "CPT", id))
	_, st = messageOf(t, h, c.GetTicketId(), domain.ChannelSMS)
	require.Equal(t, "delivered", st)
	require.NoError(t, h.app.DeliverMessage(context.Background(), "CPT", id), "a second run changes nothing")
	require.Len(t, h.sent.all(), 1)
}

func TestWhatsAppAndClickatellWebhooks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := gateway(t, "CPT")
	wa := func(method, path string, body []byte, sig string) (*notifyv1.ReceiveWebhookResponse, error) {
		hdr := map[string]string{}
		if sig != "" {
			hdr["X-Hub-Signature-256"] = sig
		}
		return h.internal.ReceiveWebhook(ctx, &notifyv1.ReceiveWebhookRequest{Tenant: "CPT", Provider: notifyv1.WebhookProvider_WEBHOOK_PROVIDER_WHATSAPP,
			Method: method, Path: path, Body: body, Headers: hdr})
	}
	got, err := wa("GET", "/notify/webhooks/CPT/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444", nil, "")
	require.NoError(t, err)
	require.Equal(t, "1158201444", string(got.GetBody()))
	_, err = wa("GET", "/notify/webhooks/CPT/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", nil, "")
	require.Equal(t, codes.PermissionDenied, status.Code(err))

	stop := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
		"messages":[{"from":"27825550199","id":"wamid.1","timestamp":"1","type":"text","text":{"body":"stop"}}]}}]}]}`)
	_, err = wa("POST", "/notify/webhooks/CPT/whatsapp", stop, "")
	require.Equal(t, codes.Unauthenticated, status.Code(err))
	_, err = wa("POST", "/notify/webhooks/CPT/whatsapp", stop, peers.WhatsAppSignature("other", stop))
	require.Equal(t, codes.PermissionDenied, status.Code(err))
	require.Zero(t, h.count(t, `SELECT count(*) FROM notify.opt_outs`))
	got, err = wa("POST", "/notify/webhooks/CPT/whatsapp", stop, peers.WhatsAppSignature(waSecret, stop))
	require.NoError(t, err)
	require.Equal(t, int32(1), got.GetOptOuts())
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM notify.opt_outs WHERE channel = 'whatsapp' AND address_hash = $1`,
		h.links.AddressHash("CPT", domain.ChannelWhatsApp, "+27825550199")))

	ck := func(query string, body string) error {
		_, err := h.internal.ReceiveWebhook(ctx, &notifyv1.ReceiveWebhookRequest{Tenant: "CPT", Provider: notifyv1.WebhookProvider_WEBHOOK_PROVIDER_CLICKATELL,
			Method: "POST", Path: "/notify/webhooks/CPT/clickatell" + query, Body: []byte(body)})
		return err
	}
	reply := `{"messageId":"m1","fromNumber":"27825550198","toNumber":"27870000000","content":"STOP","channel":"sms"}`
	require.Equal(t, codes.Unauthenticated, status.Code(ck("", reply)))
	require.Equal(t, codes.PermissionDenied, status.Code(ck("?token=wrong", reply)))
	require.NoError(t, ck("?token="+clickatellToken, reply))
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM notify.opt_outs WHERE channel = 'sms'`))
}

func TestAnUnsubscribeLinkOptsOutOnlyWhenSignedAndConfirmed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.work(t)
	c := created(commonv1.Category_CATEGORY_WATER, thandi, nil)
	h.record(t, c)
	h.settle(t)
	id, _ := messageOf(t, h, c.GetTicketId(), domain.ChannelEmail)
	ctx := gateway(t, "CPT")
	link := func(sig string, confirm bool) (*notifyv1.UnsubscribeResponse, error) {
		return h.internal.Unsubscribe(ctx, &notifyv1.UnsubscribeRequest{Tenant: "CPT", MessageId: id, Signature: sig, Confirm: confirm})
	}
	_, err := link(h.links.Signature("JHB", id), true)
	require.Equal(t, codes.PermissionDenied, status.Code(err), "another municipality's signature")
	_, err = link("00", true)
	require.Equal(t, codes.PermissionDenied, status.Code(err))
	got, err := link(h.links.Signature("CPT", id), false)
	require.NoError(t, err)
	require.False(t, got.GetUnsubscribed(), "the page asks first")
	require.Equal(t, notifyv1.MessageChannel_MESSAGE_CHANNEL_EMAIL, got.GetChannel())
	require.Zero(t, h.count(t, `SELECT count(*) FROM notify.opt_outs`))
	got, err = link(h.links.Signature("CPT", id), true)
	require.NoError(t, err)
	require.True(t, got.GetUnsubscribed())
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM notify.opt_outs WHERE channel = 'email' AND source = 'link'`))
	h.record(t, event(c.GetTicketId(), notifyv1.EventKind_EVENT_KIND_CLOSED, commonv1.Category_CATEGORY_WATER))
	h.settle(t)
	_, st := messageOf(t, h, c.GetTicketId(), domain.ChannelEmail)
	require.Equal(t, "suppressed", st)
	_, st = messageOf(t, h, c.GetTicketId(), domain.ChannelSMS)
	require.Equal(t, "sent", st)
}
