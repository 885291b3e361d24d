package notifyhooks_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/services/gateway/internal/notifyhooks"
)

// fakeNotify records what the gateway forwarded and answers as told.
type fakeNotify struct {
	mu      sync.Mutex
	webhook *notifyv1.ReceiveWebhookRequest
	unsub   *notifyv1.UnsubscribeRequest
	tenant  string
	err     error
}

func (f *fakeNotify) RecordTicketEvent(context.Context, *notifyv1.RecordTicketEventRequest, ...grpc.CallOption) (*notifyv1.RecordTicketEventResponse, error) {
	panic("the gateway never records events")
}

func (f *fakeNotify) BatchRecordTicketEvents(context.Context, *notifyv1.BatchRecordTicketEventsRequest, ...grpc.CallOption) (*notifyv1.BatchRecordTicketEventsResponse, error) {
	panic("the gateway never records events")
}

func (f *fakeNotify) SendReportExport(context.Context, *notifyv1.SendReportExportRequest, ...grpc.CallOption) (*notifyv1.SendReportExportResponse, error) {
	panic("the gateway never mails reports")
}

func (f *fakeNotify) ReceiveWebhook(ctx context.Context, r *notifyv1.ReceiveWebhookRequest, _ ...grpc.CallOption) (*notifyv1.ReceiveWebhookResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.webhook, f.tenant = r, tenantOf(ctx)
	if f.err != nil {
		return nil, f.err
	}
	return &notifyv1.ReceiveWebhookResponse{HttpStatus: 200, ContentType: "text/xml", Body: []byte("<Response></Response>")}, nil
}

func (f *fakeNotify) Unsubscribe(ctx context.Context, r *notifyv1.UnsubscribeRequest, _ ...grpc.CallOption) (*notifyv1.UnsubscribeResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.unsub, f.tenant = r, tenantOf(ctx)
	if f.err != nil {
		return nil, f.err
	}
	return &notifyv1.UnsubscribeResponse{Channel: notifyv1.MessageChannel_MESSAGE_CHANNEL_EMAIL, Language: commonv1.Language_LANGUAGE_AF,
		Unsubscribed: r.GetConfirm()}, nil
}

func tenantOf(ctx context.Context) string {
	t, _ := peers.TenantOf(ctx)
	return t
}

func serve(f *fakeNotify) http.Handler {
	mux := http.NewServeMux()
	notifyhooks.New(f).Register(mux)
	return mux
}

func TestAWebhookIsForwardedAsItCameForTheTenantInItsURL(t *testing.T) {
	t.Parallel()
	f := &fakeNotify{}
	req := httptest.NewRequest("POST", "/notify/webhooks/CPT/twilio?x=1", strings.NewReader("MessageSid=SM1&MessageStatus=delivered"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", "sig==")
	req.Header.Set("Cookie", "not forwarded")
	rr := httptest.NewRecorder()
	serve(f).ServeHTTP(rr, req)
	require.Equal(t, 200, rr.Code)
	require.Equal(t, "<Response></Response>", rr.Body.String())
	require.Equal(t, "CPT", f.tenant, "the gateway's token names the URL's municipality")
	require.Equal(t, notifyv1.WebhookProvider_WEBHOOK_PROVIDER_TWILIO, f.webhook.GetProvider())
	require.Equal(t, "/notify/webhooks/CPT/twilio?x=1", f.webhook.GetPath())
	require.Equal(t, "MessageSid=SM1&MessageStatus=delivered", string(f.webhook.GetBody()))
	require.Equal(t, map[string]string{"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "sig=="}, f.webhook.GetHeaders())

	for _, tc := range []struct {
		path string
		err  error
		code int
	}{
		{"/notify/webhooks/CPT/pigeon", nil, 404}, {"/notify/webhooks/not-a-code/twilio", nil, 404},
		{"/notify/webhooks/CPT/twilio", status.Error(codes.Unauthenticated, "x"), 401},
		{"/notify/webhooks/CPT/twilio", status.Error(codes.PermissionDenied, "x"), 403},
	} {
		f := &fakeNotify{err: tc.err}
		rr := httptest.NewRecorder()
		serve(f).ServeHTTP(rr, httptest.NewRequest("POST", tc.path, strings.NewReader("a=b")))
		require.Equal(t, tc.code, rr.Code, tc.path)
	}
}

func TestAnUnsubscribeLinkAsksOnGETAndActsOnPOST(t *testing.T) {
	t.Parallel()
	f := &fakeNotify{}
	path := "/notify/unsubscribe?tenant=CPT&message=6b1f0d1e-8c59-4b8e-a1ad-1c1f9d6c2a10&sig=ab12"
	rr := httptest.NewRecorder()
	serve(f).ServeHTTP(rr, httptest.NewRequest("GET", path, nil))
	require.Equal(t, 200, rr.Code)
	require.False(t, f.unsub.GetConfirm(), "a link followed changes nothing")
	require.Contains(t, rr.Body.String(), `<form method="post">`)
	require.Contains(t, rr.Body.String(), "Hou op", "in the message's language")
	rr = httptest.NewRecorder()
	serve(f).ServeHTTP(rr, httptest.NewRequest("POST", path, nil))
	require.True(t, f.unsub.GetConfirm())
	require.Equal(t, "ab12", f.unsub.GetSignature())
	require.Contains(t, rr.Body.String(), "geen boodskappe meer")

	bad := &fakeNotify{err: status.Error(codes.PermissionDenied, "bad link")}
	rr = httptest.NewRecorder()
	serve(bad).ServeHTTP(rr, httptest.NewRequest("POST", path, nil))
	require.Equal(t, 403, rr.Code)
}
