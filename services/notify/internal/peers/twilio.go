package peers

import (
	"context"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // Twilio signs its webhooks with HMAC-SHA1; that is its published scheme.
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/time/rate"

	"github.com/salga/trustengine/services/notify/internal/domain"
)

// TwilioConfig is a Twilio(-compatible) account.
type TwilioConfig struct {
	// BaseURL is the API's root, https://api.twilio.com.
	BaseURL string
	// AccountSID and AuthToken authenticate (HTTP Basic) and sign webhooks.
	AccountSID, AuthToken string
	// From is the sending number (E.164), or MessagingServiceSID a
	// messaging service that picks one.
	From, MessagingServiceSID string
	// Rate is requests per second; 0 is unlimited.
	Rate float64
	// Callback is the status-callback URL of a tenant's messages.
	Callback func(tenant string) string
}

// Twilio sends SMS through the Messages resource and reads Twilio's
// webhooks (status callbacks and inbound messages).
type Twilio struct {
	cfg    TwilioConfig
	client *http.Client
	lim    *rate.Limiter
}

// NewTwilio returns the Twilio adapter of cfg.
func NewTwilio(cfg TwilioConfig) *Twilio {
	return &Twilio{cfg: cfg, client: newHTTPClient(), lim: limiter(cfg.Rate)}
}

// Send implements app.Sender: POST /2010-04-01/Accounts/{AccountSid}/Messages.json
// with To, From (or MessagingServiceSid), Body and StatusCallback, form
// encoded, HTTP Basic with the account SID and auth token; 201 answers
// the message's sid.
func (t *Twilio) Send(ctx context.Context, o domain.Outgoing) (domain.Sent, error) {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	form := url.Values{"To": {o.To[0]}, "Body": {o.Body}}
	if t.cfg.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", t.cfg.MessagingServiceSID)
	} else {
		form.Set("From", t.cfg.From)
	}
	if t.cfg.Callback != nil {
		form.Set("StatusCallback", t.cfg.Callback(o.Tenant))
	}
	u := strings.TrimRight(t.cfg.BaseURL, "/") + "/2010-04-01/Accounts/" + url.PathEscape(t.cfg.AccountSID) + "/Messages.json"
	req, err := newRequest(http.MethodPost, u, "application/x-www-form-urlencoded", []byte(form.Encode()))
	if err != nil {
		return domain.Sent{}, err
	}
	req.SetBasicAuth(t.cfg.AccountSID, t.cfg.AuthToken)
	_, body, err := call(ctx, t.client, t.lim, "twilio", req)
	if err != nil {
		return domain.Sent{}, err
	}
	var ans struct {
		SID string `json:"sid"`
	}
	if err := json.Unmarshal(body, &ans); err != nil || ans.SID == "" {
		return domain.Sent{}, domain.Temporary("twilio: an answer without a message sid: %s", snippet(body))
	}
	return domain.Sent{Provider: "twilio", ProviderMessageID: ans.SID}, nil
}

// TwilioSignature is Twilio's signature of a request to fullURL with form
// parameters params: base64 of HMAC-SHA1, keyed with the auth token, of
// the URL followed by each parameter's name and value, sorted by name.
func TwilioSignature(authToken, fullURL string, params url.Values) string {
	m := hmac.New(sha1.New, []byte(authToken))
	m.Write([]byte(fullURL))
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range params[k] {
			m.Write([]byte(k + v))
		}
	}
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// twimlEmpty answers an inbound message with no reply.
var twimlEmpty = []byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>`)

// Parse implements app.Inbound for Twilio's webhooks: the X-Twilio-Signature
// must be TwilioSignature of the URL and form; then a status callback
// (MessageSid, MessageStatus, ErrorCode) is a receipt and an inbound
// message (From, Body) a reply.
func (t *Twilio) Parse(w domain.Webhook) (domain.Inbound, error) {
	sig := w.Headers["X-Twilio-Signature"]
	if sig == "" {
		return domain.Inbound{}, domain.ErrUnsigned
	}
	form, err := url.ParseQuery(string(w.Body))
	if err != nil || w.Method != http.MethodPost {
		return domain.Inbound{}, domain.ErrBadSignature
	}
	want := TwilioSignature(t.cfg.AuthToken, w.URL, form)
	if !hmac.Equal([]byte(sig), []byte(want)) || (t.cfg.AccountSID != "" && form.Get("AccountSid") != t.cfg.AccountSID) {
		return domain.Inbound{}, domain.ErrBadSignature
	}
	var in domain.Inbound
	switch status := form.Get("MessageStatus"); {
	case status != "" && status != "received":
		if r, ok := twilioReceipt(form.Get("MessageSid"), status, form.Get("ErrorCode")); ok {
			in.Receipts = append(in.Receipts, r)
		}
	case form.Get("From") != "":
		in.Replies = append(in.Replies, domain.Reply{Channel: domain.ChannelSMS, From: plus(form.Get("From")), Text: form.Get("Body")})
		in.Answer, in.ContentType = twimlEmpty, "text/xml"
	}
	return in, nil
}

// twilioReceipt maps a MessageStatus: sent, delivered (or read), and
// undelivered or failed with Twilio's error code; the rest says nothing
// new.
func twilioReceipt(sid, status, code string) (domain.Receipt, bool) {
	r := domain.Receipt{ProviderMessageID: sid}
	switch status {
	case "sent":
		r.State = domain.StateSent
	case "delivered", "read":
		r.State = domain.StateDelivered
	case "undelivered", "failed":
		r.State, r.Error = domain.StateFailed, "twilio: "+status
		if code != "" {
			r.Error += " (error " + code + ")"
		}
	default:
		return r, false
	}
	return r, sid != ""
}
