package peers_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/notify/internal/domain"
	"github.com/salga/trustengine/services/notify/internal/peers"
)

// provider is a local stand-in for a provider's API: check asserts the
// request is exactly as the provider documents it, answer says what the
// provider answers.
func provider(t *testing.T, check func(t *testing.T, r *http.Request, body []byte), status int, answer string) (string, *int) {
	t.Helper()
	calls := 0
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		check(t, r, body)
		mu.Lock()
		calls++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(answer))
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &calls
}

// sms is a message to a reporter's phone.
var sms = domain.Outgoing{MessageID: "6b1f0d1e-8c59-4b8e-a1ad-1c1f9d6c2a10", Tenant: "CPT", Channel: domain.ChannelSMS,
	To: []string{"+27821234567"}, Body: "Your report CPT-2026-000123 is resolved.\nReply STOP to opt out.", Language: domain.LangEN}

func TestTwilioSendsAsTheMessagesResourceDocuments(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, r *http.Request, body []byte) {
		require.Equal(t, http.MethodPost, r.Method)
		require.Equal(t, "/2010-04-01/Accounts/AC0123456789/Messages.json", r.URL.Path)
		user, pass, ok := r.BasicAuth()
		require.True(t, ok, "HTTP Basic")
		require.Equal(t, "AC0123456789", user)
		require.Equal(t, "auth-token", pass)
		require.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
		form, err := url.ParseQuery(string(body))
		require.NoError(t, err)
		require.Equal(t, url.Values{"To": {"+27821234567"}, "From": {"+27870000000"}, "Body": {sms.Body},
			"StatusCallback": {"https://te.example.org/notify/webhooks/CPT/twilio"}}, form)
	}
	cfg := func(base string) peers.TwilioConfig {
		return peers.TwilioConfig{BaseURL: base, AccountSID: "AC0123456789", AuthToken: "auth-token", From: "+27870000000",
			Callback: func(tenant string) string { return "https://te.example.org/notify/webhooks/" + tenant + "/twilio" }}
	}
	base, calls := provider(t, check, http.StatusCreated, `{"sid":"SM7d5c1e2f3a4b","status":"queued","to":"+27821234567"}`)
	got, err := peers.NewTwilio(cfg(base)).Send(context.Background(), sms)
	require.NoError(t, err)
	require.Equal(t, domain.Sent{Provider: "twilio", ProviderMessageID: "SM7d5c1e2f3a4b"}, got)
	require.Equal(t, 1, *calls)

	for _, tc := range []struct {
		name      string
		status    int
		answer    string
		permanent bool
	}{
		{"an invalid number is permanent", 400, `{"code":21211,"message":"Invalid 'To' Phone Number","status":400}`, true},
		{"a bad account is permanent", 401, `{"code":20003,"message":"Authenticate","status":401}`, true},
		{"too many requests is temporary", 429, `{"code":20429,"message":"Too Many Requests","status":429}`, false},
		{"a server error is temporary", 503, `busy`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, _ := provider(t, check, tc.status, tc.answer)
			_, err := peers.NewTwilio(cfg(base)).Send(context.Background(), sms)
			require.Error(t, err)
			_, permanent := domain.IsPermanent(err)
			require.Equal(t, tc.permanent, permanent, "%v", err)
		})
	}
	t.Run("a provider that does not answer is temporary", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { time.Sleep(2 * time.Second) }))
		t.Cleanup(srv.Close)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		_, err := peers.NewTwilio(cfg(srv.URL)).Send(ctx, sms)
		_, permanent := domain.IsPermanent(err)
		require.Error(t, err)
		require.False(t, permanent)
	})
}

func TestClickatellSendsAsItsOneAPIDocuments(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, r *http.Request, body []byte) {
		require.Equal(t, http.MethodPost, r.Method)
		require.Equal(t, "/v1/message", r.URL.Path)
		require.Equal(t, "ck-api-key", r.Header.Get("Authorization"), "the key itself, no scheme")
		require.Equal(t, "application/json", r.Header.Get("Content-Type"))
		require.JSONEq(t, `{"messages":[{"channel":"sms","to":"27821234567","content":`+mustJSON(sms.Body)+`}]}`, string(body))
	}
	cfg := func(base string) peers.ClickatellConfig {
		return peers.ClickatellConfig{BaseURL: base, APIKey: "ck-api-key"}
	}
	base, _ := provider(t, check, http.StatusAccepted, `{"messages":[{"apiMessageId":"a1b2c3","accepted":true,"to":"27821234567","error":null}],"error":null}`)
	got, err := peers.NewClickatell(cfg(base)).Send(context.Background(), sms)
	require.NoError(t, err)
	require.Equal(t, domain.Sent{Provider: "clickatell", ProviderMessageID: "a1b2c3"}, got)

	base, _ = provider(t, check, http.StatusAccepted, `{"messages":[{"accepted":false,"to":"27821234567","error":{"code":105,"description":"Invalid destination"}}]}`)
	_, err = peers.NewClickatell(cfg(base)).Send(context.Background(), sms)
	reason, permanent := domain.IsPermanent(err)
	require.True(t, permanent, "%v", err)
	require.Contains(t, reason, "Invalid destination")
}

func TestWhatsAppSendsATemplateOutsideTheWindowAndTextInside(t *testing.T) {
	t.Parallel()
	wa := sms
	wa.Channel, wa.TemplateParams, wa.Language = domain.ChannelWhatsApp, []string{"CPT-2026-000123", "resolved"}, domain.LangAF
	var want string
	check := func(t *testing.T, r *http.Request, body []byte) {
		require.Equal(t, http.MethodPost, r.Method)
		require.Equal(t, "/v21.0/1234567890/messages", r.URL.Path)
		require.Equal(t, "Bearer wa-token", r.Header.Get("Authorization"))
		require.Equal(t, "application/json", r.Header.Get("Content-Type"))
		require.JSONEq(t, want, string(body))
	}
	base, _ := provider(t, check, http.StatusOK, `{"messaging_product":"whatsapp","contacts":[{"input":"27821234567","wa_id":"27821234567"}],"messages":[{"id":"wamid.HBgLMjc4"}]}`)
	w := peers.NewWhatsApp(peers.WhatsAppConfig{BaseURL: base + "/v21.0", Token: "wa-token", PhoneNumberID: "1234567890",
		UpdateTemplate: "ticket_update", GBVTemplate: "reference_update"})
	want = `{"messaging_product":"whatsapp","recipient_type":"individual","to":"27821234567","type":"template",
		"template":{"name":"ticket_update","language":{"code":"af"},"components":[{"type":"body","parameters":[
		{"type":"text","text":"CPT-2026-000123"},{"type":"text","text":"resolved"}]}]}}`
	got, err := w.Send(context.Background(), wa)
	require.NoError(t, err)
	require.Equal(t, "wamid.HBgLMjc4", got.ProviderMessageID)

	gbv := wa
	gbv.GBV, gbv.TemplateParams = true, []string{"CPT-2026-000123"}
	want = `{"messaging_product":"whatsapp","recipient_type":"individual","to":"27821234567","type":"template",
		"template":{"name":"reference_update","language":{"code":"af"},"components":[{"type":"body","parameters":[
		{"type":"text","text":"CPT-2026-000123"}]}]}}`
	_, err = w.Send(context.Background(), gbv)
	require.NoError(t, err)

	inside := wa
	inside.InWindow = true
	want = `{"messaging_product":"whatsapp","recipient_type":"individual","to":"27821234567","type":"text",
		"text":{"preview_url":false,"body":` + mustJSON(wa.Body) + `}}`
	_, err = w.Send(context.Background(), inside)
	require.NoError(t, err)

	base, _ = provider(t, func(*testing.T, *http.Request, []byte) {}, http.StatusBadRequest,
		`{"error":{"message":"Re-engagement message","type":"OAuthException","code":131047,"fbtrace_id":"x"}}`)
	_, err = peers.NewWhatsApp(peers.WhatsAppConfig{BaseURL: base, Token: "t", PhoneNumberID: "1"}).Send(context.Background(), inside)
	_, permanent := domain.IsPermanent(err)
	require.True(t, permanent, "%v", err)
}

func TestATeamWebhookIsSignedAndAReceiverCanVerifyIt(t *testing.T) {
	t.Parallel()
	payload := []byte(`{"id":"m1","event":"sla_breach"}`)
	secret := strings.Repeat("k", 40)
	var got http.Header
	check := func(t *testing.T, r *http.Request, body []byte) {
		require.Equal(t, http.MethodPost, r.Method)
		require.Equal(t, "application/json", r.Header.Get("Content-Type"))
		require.Equal(t, payload, body)
		got = r.Header.Clone()
	}
	base, _ := provider(t, check, http.StatusNoContent, "")
	sent, err := peers.NewWebhooks(0).Send(context.Background(), domain.Outgoing{MessageID: "m1", Channel: domain.ChannelWebhook,
		To: []string{base + "/hook"}, Secret: secret, Payload: payload})
	require.NoError(t, err)
	require.True(t, sent.Delivered)
	require.Equal(t, "m1", got.Get("X-TrustEngine-Message-Id"))
	// What a receiver does: read t and v1, recompute over "t.body".
	parts := map[string]string{}
	for _, p := range strings.Split(got.Get(domain.SignatureHeader), ",") {
		k, v, _ := strings.Cut(p, "=")
		parts[k] = v
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(parts["t"] + "."))
	mac.Write(payload)
	require.Equal(t, hex.EncodeToString(mac.Sum(nil)), parts["v1"])
	require.WithinDuration(t, time.Now(), time.Unix(mustInt(parts["t"]), 0), time.Minute)

	for _, tc := range []struct {
		status    int
		permanent bool
	}{{http.StatusFound, true}, {http.StatusGone, true}, {http.StatusInternalServerError, false}, {http.StatusTooManyRequests, false}} {
		base, _ := provider(t, func(*testing.T, *http.Request, []byte) {}, tc.status, "")
		_, err := peers.NewWebhooks(0).Send(context.Background(), domain.Outgoing{To: []string{base}, Secret: secret, Payload: payload})
		_, permanent := domain.IsPermanent(err)
		require.Error(t, err)
		require.Equal(t, tc.permanent, permanent, "HTTP %d", tc.status)
	}
}

func TestAProviderIsRateLimited(t *testing.T) {
	t.Parallel()
	base, calls := provider(t, func(*testing.T, *http.Request, []byte) {}, http.StatusCreated, `{"sid":"SM1"}`)
	tw := peers.NewTwilio(peers.TwilioConfig{BaseURL: base, AccountSID: "AC1", AuthToken: "t", From: "+27870000000", Rate: 20})
	start := time.Now()
	for range 40 {
		_, err := tw.Send(context.Background(), sms)
		require.NoError(t, err)
	}
	require.Equal(t, 40, *calls)
	require.GreaterOrEqual(t, time.Since(start), 900*time.Millisecond, "40 at 20 a second (a burst of 20) take a second")
}

func mustJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func mustInt(s string) int64 {
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return n
}
