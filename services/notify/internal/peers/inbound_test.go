package peers_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/notify/internal/domain"
	"github.com/salga/trustengine/services/notify/internal/peers"
)

func TestTwilioSignatureIsTwiliosPublishedScheme(t *testing.T) {
	t.Parallel()
	// The example of Twilio's request-validation libraries.
	params := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675309"}, "Digits": {"1234"},
		"From": {"+14158675309"}, "To": {"+18005551212"}}
	require.Equal(t, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", peers.TwilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params))
}

func TestTwilioWebhooksAreReadOnlyWhenSigned(t *testing.T) {
	t.Parallel()
	tw := peers.NewTwilio(peers.TwilioConfig{AuthToken: "tok", AccountSID: "AC1"})
	hook := func(form url.Values, sig string) domain.Webhook {
		return domain.Webhook{Method: "POST", URL: "https://te.example.org/notify/webhooks/CPT/twilio", Body: []byte(form.Encode()),
			Headers: map[string]string{"X-Twilio-Signature": sig}}
	}
	for _, tc := range []struct {
		status string
		want   domain.Receipt
	}{
		{"sent", domain.Receipt{ProviderMessageID: "SM1", State: domain.StateSent}},
		{"delivered", domain.Receipt{ProviderMessageID: "SM1", State: domain.StateDelivered}},
		{"undelivered", domain.Receipt{ProviderMessageID: "SM1", State: domain.StateFailed, Error: "twilio: undelivered (error 30003)"}},
	} {
		form := url.Values{"AccountSid": {"AC1"}, "MessageSid": {"SM1"}, "MessageStatus": {tc.status}, "ErrorCode": {"30003"}}
		if tc.status != "undelivered" {
			form.Del("ErrorCode")
		}
		in, err := tw.Parse(hook(form, peers.TwilioSignature("tok", "https://te.example.org/notify/webhooks/CPT/twilio", form)))
		require.NoError(t, err)
		require.Equal(t, []domain.Receipt{tc.want}, in.Receipts)
	}
	form := url.Values{"AccountSid": {"AC2"}, "MessageSid": {"SM1"}, "MessageStatus": {"delivered"}}
	_, err := tw.Parse(hook(form, peers.TwilioSignature("tok", "https://te.example.org/notify/webhooks/CPT/twilio", form)))
	require.ErrorIs(t, err, domain.ErrBadSignature, "another account's callback")
	_, err = tw.Parse(hook(form, ""))
	require.ErrorIs(t, err, domain.ErrUnsigned)
}

func TestWhatsAppNotificationsAreRead(t *testing.T) {
	t.Parallel()
	w := peers.NewWhatsApp(peers.WhatsAppConfig{AppSecret: "app-secret"})
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{
		"messaging_product":"whatsapp","metadata":{"display_phone_number":"27870000000","phone_number_id":"1"},
		"statuses":[{"id":"wamid.A","status":"delivered","timestamp":"1","recipient_id":"27821234567"},
		            {"id":"wamid.B","status":"failed","timestamp":"1","recipient_id":"27821234567","errors":[{"code":131026,"title":"Message undeliverable"}]}],
		"messages":[{"from":"27821234567","id":"wamid.C","timestamp":"1","type":"text","text":{"body":"STOP"}}]}}]}]}`)
	in, err := w.Parse(domain.Webhook{Method: "POST", Body: body, Headers: map[string]string{"X-Hub-Signature-256": peers.WhatsAppSignature("app-secret", body)}})
	require.NoError(t, err)
	require.Equal(t, []domain.Receipt{{ProviderMessageID: "wamid.A", State: domain.StateDelivered},
		{ProviderMessageID: "wamid.B", State: domain.StateFailed, Error: "whatsapp: failed (131026 Message undeliverable)"}}, in.Receipts)
	require.Len(t, in.Replies, 1)
	require.Equal(t, "+27821234567", in.Replies[0].From)
	require.True(t, in.Replies[0].IsStop())
	_, err = w.Parse(domain.Webhook{Method: "POST", Body: body, Headers: map[string]string{"X-Hub-Signature-256": "sha256=00"}})
	require.ErrorIs(t, err, domain.ErrBadSignature)
}

func TestClickatellCallbacksAreRead(t *testing.T) {
	t.Parallel()
	c := peers.NewClickatell(peers.ClickatellConfig{CallbackToken: "shared-token-1234"})
	url := "https://te.example.org/notify/webhooks/CPT/clickatell?token=shared-token-1234"
	for body, want := range map[string]domain.Receipt{
		`{"messageId":"m1","status":"RECEIVED_BY_RECIPIENT","statusCode":4}`:    {ProviderMessageID: "m1", State: domain.StateDelivered},
		`{"messageId":"m1","status":"DELIVERED_TO_GATEWAY","statusCode":"003"}`: {ProviderMessageID: "m1", State: domain.StateSent},
		`{"messageId":"m1","status":"ERROR_DELIVERING","statusCode":7,"statusDescription":"Error delivering message"}`: {ProviderMessageID: "m1",
			State: domain.StateFailed, Error: "clickatell: ERROR_DELIVERING Error delivering message"},
	} {
		in, err := c.Parse(domain.Webhook{Method: "POST", URL: url, Body: []byte(body)})
		require.NoError(t, err)
		require.Equal(t, []domain.Receipt{want}, in.Receipts, body)
	}
	_, err := c.Parse(domain.Webhook{Method: "POST", URL: "https://te.example.org/notify/webhooks/CPT/clickatell?token=guess", Body: []byte(`{}`)})
	require.ErrorIs(t, err, domain.ErrBadSignature)
}
