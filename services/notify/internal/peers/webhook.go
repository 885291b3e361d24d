package peers

import (
	"context"
	"net/http"
	"time"

	"golang.org/x/time/rate"

	"github.com/salga/trustengine/services/notify/internal/domain"
)

// Webhooks posts messages to teams' webhooks, signed.
type Webhooks struct {
	client *http.Client
	lim    *rate.Limiter
	now    func() time.Time
}

// NewWebhooks returns the webhook sender, at most perSecond posts a second.
func NewWebhooks(perSecond float64) *Webhooks {
	return &Webhooks{client: newHTTPClient(), lim: limiter(perSecond), now: time.Now}
}

// Send implements app.Sender: a JSON POST of the message's payload
// (domain.WebhookPayload) with the header X-TrustEngine-Signature
// (domain.SignWebhook) and X-TrustEngine-Message-Id. A 2xx answer is
// delivery.
func (w *Webhooks) Send(ctx context.Context, o domain.Outgoing) (domain.Sent, error) {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	req, err := newRequest(http.MethodPost, o.To[0], "application/json", o.Payload)
	if err != nil {
		return domain.Sent{}, err
	}
	req.Header.Set(domain.SignatureHeader, domain.SignWebhook(o.Secret, o.Payload, w.now()))
	req.Header.Set("X-TrustEngine-Message-Id", o.MessageID)
	if _, _, err := call(ctx, w.client, w.lim, "webhook", req); err != nil {
		return domain.Sent{}, err
	}
	return domain.Sent{Provider: "webhook", Delivered: true}, nil
}
