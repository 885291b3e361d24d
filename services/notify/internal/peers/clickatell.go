package peers

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/time/rate"

	"github.com/salga/trustengine/services/notify/internal/domain"
)

// ClickatellConfig is a Clickatell (One API) integration.
type ClickatellConfig struct {
	// BaseURL is the API's root, https://platform.clickatell.com.
	BaseURL string
	// APIKey is the integration's key, sent as the Authorization header.
	APIKey string
	// CallbackToken is the shared secret the callback URLs configured at
	// Clickatell carry (?token=...): Clickatell does not sign callbacks.
	CallbackToken string
	// Rate is requests per second; 0 is unlimited.
	Rate float64
}

// Clickatell sends SMS through Clickatell's One API and reads its
// callbacks.
type Clickatell struct {
	cfg    ClickatellConfig
	client *http.Client
	lim    *rate.Limiter
}

// NewClickatell returns the Clickatell adapter of cfg.
func NewClickatell(cfg ClickatellConfig) *Clickatell {
	return &Clickatell{cfg: cfg, client: newHTTPClient(), lim: limiter(cfg.Rate)}
}

// clickatellMessage is one message of a send request.
type clickatellMessage struct {
	Channel string `json:"channel"`
	To      string `json:"to"`
	Content string `json:"content"`
}

// Send implements app.Sender: POST /v1/message with the API key as the
// Authorization header and {"messages":[{"channel":"sms","to":...,
// "content":...}]}; the answer's messages[0] says whether it was accepted
// and its apiMessageId.
func (c *Clickatell) Send(ctx context.Context, o domain.Outgoing) (domain.Sent, error) {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	body, err := json.Marshal(struct {
		Messages []clickatellMessage `json:"messages"`
	}{[]clickatellMessage{{Channel: "sms", To: digits(o.To[0]), Content: o.Body}}})
	if err != nil {
		return domain.Sent{}, errorf("clickatell: %v", err)
	}
	req, err := newRequest(http.MethodPost, strings.TrimRight(c.cfg.BaseURL, "/")+"/v1/message", "application/json", body)
	if err != nil {
		return domain.Sent{}, err
	}
	req.Header.Set("Authorization", c.cfg.APIKey)
	_, ans, err := call(ctx, c.client, c.lim, "clickatell", req)
	if err != nil {
		return domain.Sent{}, err
	}
	var got struct {
		Messages []struct {
			APIMessageID string          `json:"apiMessageId"`
			Accepted     bool            `json:"accepted"`
			Error        json.RawMessage `json:"error"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(ans, &got); err != nil || len(got.Messages) != 1 {
		return domain.Sent{}, domain.Temporary("clickatell: an answer without the message: %s", snippet(ans))
	}
	m := got.Messages[0]
	if !m.Accepted || m.APIMessageID == "" {
		return domain.Sent{}, domain.Permanent("clickatell: not accepted: %s", snippet(m.Error))
	}
	return domain.Sent{Provider: "clickatell", ProviderMessageID: m.APIMessageID}, nil
}

// Parse implements app.Inbound for Clickatell's callbacks: the URL's
// token must be the shared CallbackToken; then a status callback
// (messageId, status, statusCode) is a receipt and an inbound message
// (fromNumber, content) a reply.
func (c *Clickatell) Parse(w domain.Webhook) (domain.Inbound, error) {
	u, err := url.Parse(w.URL)
	if err != nil {
		return domain.Inbound{}, domain.ErrBadSignature
	}
	token := u.Query().Get("token")
	if token == "" {
		return domain.Inbound{}, domain.ErrUnsigned
	}
	if c.cfg.CallbackToken == "" || subtle.ConstantTimeCompare([]byte(token), []byte(c.cfg.CallbackToken)) != 1 {
		return domain.Inbound{}, domain.ErrBadSignature
	}
	var cb struct {
		MessageID   string          `json:"messageId"`
		Status      string          `json:"status"`
		StatusCode  json.RawMessage `json:"statusCode"`
		Description string          `json:"statusDescription"`
		FromNumber  string          `json:"fromNumber"`
		From        string          `json:"from"`
		Content     string          `json:"content"`
		Text        string          `json:"text"`
	}
	if err := json.Unmarshal(w.Body, &cb); err != nil {
		return domain.Inbound{}, nil // not a callback this service reads: nothing changes
	}
	var in domain.Inbound
	from, text := firstOf(cb.FromNumber, cb.From), firstOf(cb.Content, cb.Text)
	if from != "" && (text != "" || cb.Status == "") {
		in.Replies = append(in.Replies, domain.Reply{Channel: domain.ChannelSMS, From: plus(from), Text: text})
		return in, nil
	}
	if r, ok := clickatellReceipt(cb.MessageID, cb.Status, strings.Trim(string(cb.StatusCode), `"`), cb.Description); ok {
		in.Receipts = append(in.Receipts, r)
	}
	return in, nil
}

// clickatellReceipt maps Clickatell's message statuses (codes 003
// delivered to gateway, 004 received by recipient, 005-012 and 014
// failures, or their names).
func clickatellReceipt(id, status, code, desc string) (domain.Receipt, bool) {
	r := domain.Receipt{ProviderMessageID: id}
	n := 0
	_, _ = fmt.Sscanf(code, "%d", &n)
	s := strings.ToUpper(status)
	switch {
	case n == 4 || strings.Contains(s, "RECEIVED_BY_RECIPIENT") || strings.Contains(s, "DELIVERED_TO_HANDSET"):
		r.State = domain.StateDelivered
	case n == 3 || strings.Contains(s, "DELIVERED_TO_GATEWAY"):
		r.State = domain.StateSent
	case (n >= 5 && n <= 10 && n != 8) || n == 12 || n == 14 || strings.Contains(s, "ERROR") ||
		strings.Contains(s, "EXPIRED") || strings.Contains(s, "CANCELLED") || strings.Contains(s, "FAILED"):
		r.State, r.Error = domain.StateFailed, strings.TrimSpace("clickatell: "+firstOf(status, code)+" "+desc)
	default:
		return r, false
	}
	return r, id != ""
}

// firstOf is the first non-empty of ss.
func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
