package peers

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/time/rate"

	"github.com/salga/trustengine/services/notify/internal/domain"
)

// WhatsAppConfig is a WhatsApp Cloud API business number.
type WhatsAppConfig struct {
	// BaseURL is the Graph API root with its version,
	// https://graph.facebook.com/v21.0.
	BaseURL string
	// Token is the access token (Authorization: Bearer).
	Token string
	// PhoneNumberID is the business number's id.
	PhoneNumberID string
	// AppSecret signs the webhooks (X-Hub-Signature-256).
	AppSecret string
	// VerifyToken answers the webhook subscription check.
	VerifyToken string
	// UpdateTemplate is the approved template of an update, with the
	// reference and the status as its two body parameters; GBVTemplate
	// the approved neutral one, with the reference alone.
	UpdateTemplate, GBVTemplate string
	// Rate is requests per second; 0 is unlimited.
	Rate float64
}

// WhatsApp sends WhatsApp messages through the Cloud API and reads its
// webhooks.
type WhatsApp struct {
	cfg    WhatsAppConfig
	client *http.Client
	lim    *rate.Limiter
}

// NewWhatsApp returns the WhatsApp adapter of cfg.
func NewWhatsApp(cfg WhatsAppConfig) *WhatsApp {
	return &WhatsApp{cfg: cfg, client: newHTTPClient(), lim: limiter(cfg.Rate)}
}

type waParam struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type waComponent struct {
	Type       string    `json:"type"`
	Parameters []waParam `json:"parameters"`
}

type waTemplate struct {
	Name       string            `json:"name"`
	Language   map[string]string `json:"language"`
	Components []waComponent     `json:"components,omitempty"`
}

type waMessage struct {
	Product   string      `json:"messaging_product"`
	Recipient string      `json:"recipient_type"`
	To        string      `json:"to"`
	Type      string      `json:"type"`
	Text      *waText     `json:"text,omitempty"`
	Template  *waTemplate `json:"template,omitempty"`
}

type waText struct {
	PreviewURL bool   `json:"preview_url"`
	Body       string `json:"body"`
}

// Send implements app.Sender: POST /{phone-number-id}/messages with a
// Bearer token. Inside the 24-hour window after the person last wrote, a
// text message; outside it only a pre-approved template may be sent: the
// update template with the reference and status, or for GBV the neutral
// template with the reference alone, in the message's language.
func (w *WhatsApp) Send(ctx context.Context, o domain.Outgoing) (domain.Sent, error) {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	msg := waMessage{Product: "whatsapp", Recipient: "individual", To: digits(o.To[0])}
	if o.InWindow {
		msg.Type, msg.Text = "text", &waText{Body: o.Body}
	} else {
		name := w.cfg.UpdateTemplate
		if o.GBV {
			name = w.cfg.GBVTemplate
		}
		params := make([]waParam, 0, len(o.TemplateParams))
		for _, p := range o.TemplateParams {
			params = append(params, waParam{Type: "text", Text: p})
		}
		msg.Type = "template"
		msg.Template = &waTemplate{Name: name, Language: map[string]string{"code": string(o.Language.Or())}}
		if len(params) > 0 {
			msg.Template.Components = []waComponent{{Type: "body", Parameters: params}}
		}
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return domain.Sent{}, errorf("whatsapp: %v", err)
	}
	u := strings.TrimRight(w.cfg.BaseURL, "/") + "/" + url.PathEscape(w.cfg.PhoneNumberID) + "/messages"
	req, err := newRequest(http.MethodPost, u, "application/json", body)
	if err != nil {
		return domain.Sent{}, err
	}
	req.Header.Set("Authorization", "Bearer "+w.cfg.Token)
	_, ans, err := call(ctx, w.client, w.lim, "whatsapp", req)
	if err != nil {
		return domain.Sent{}, err
	}
	var got struct {
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(ans, &got); err != nil || len(got.Messages) == 0 || got.Messages[0].ID == "" {
		return domain.Sent{}, domain.Temporary("whatsapp: an answer without the message id: %s", snippet(ans))
	}
	return domain.Sent{Provider: "whatsapp", ProviderMessageID: got.Messages[0].ID}, nil
}

// WhatsAppSignature is the X-Hub-Signature-256 of body: "sha256=" and the
// hex HMAC-SHA256 of the raw body keyed with the app secret.
func WhatsAppSignature(appSecret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Parse implements app.Inbound for the Cloud API's webhooks: the GET
// subscription check answers hub.challenge when hub.verify_token is ours;
// a POST must carry X-Hub-Signature-256 of its body, and then its statuses
// are receipts and its messages replies.
func (w *WhatsApp) Parse(h domain.Webhook) (domain.Inbound, error) {
	if h.Method == http.MethodGet {
		u, err := url.Parse(h.URL)
		if err != nil {
			return domain.Inbound{}, domain.ErrBadSignature
		}
		q := u.Query()
		token := q.Get("hub.verify_token")
		if token == "" {
			return domain.Inbound{}, domain.ErrUnsigned
		}
		if w.cfg.VerifyToken == "" || q.Get("hub.mode") != "subscribe" ||
			subtle.ConstantTimeCompare([]byte(token), []byte(w.cfg.VerifyToken)) != 1 {
			return domain.Inbound{}, domain.ErrBadSignature
		}
		return domain.Inbound{Answer: []byte(q.Get("hub.challenge")), ContentType: "text/plain"}, nil
	}
	sig := h.Headers["X-Hub-Signature-256"]
	if sig == "" {
		return domain.Inbound{}, domain.ErrUnsigned
	}
	if !hmac.Equal([]byte(sig), []byte(WhatsAppSignature(w.cfg.AppSecret, h.Body))) {
		return domain.Inbound{}, domain.ErrBadSignature
	}
	return readWhatsApp(h.Body), nil
}

// waNotification is the part of a webhook notification this service
// reads.
type waNotification struct {
	Entry []struct {
		Changes []struct {
			Value struct {
				Statuses []struct {
					ID     string `json:"id"`
					Status string `json:"status"`
					Errors []struct {
						Code  int    `json:"code"`
						Title string `json:"title"`
					} `json:"errors"`
				} `json:"statuses"`
				Messages []struct {
					From string `json:"from"`
					Type string `json:"type"`
					Text struct {
						Body string `json:"body"`
					} `json:"text"`
					Button struct {
						Text string `json:"text"`
					} `json:"button"`
				} `json:"messages"`
			} `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

// readWhatsApp reads a signed notification's statuses and messages.
func readWhatsApp(body []byte) domain.Inbound {
	var n waNotification
	var in domain.Inbound
	if err := json.Unmarshal(body, &n); err != nil {
		return in
	}
	for _, e := range n.Entry {
		for _, c := range e.Changes {
			for _, s := range c.Value.Statuses {
				r := domain.Receipt{ProviderMessageID: s.ID}
				switch s.Status {
				case "sent":
					r.State = domain.StateSent
				case "delivered", "read":
					r.State = domain.StateDelivered
				case "failed":
					r.State, r.Error = domain.StateFailed, "whatsapp: failed"
					for _, er := range s.Errors {
						r.Error += " (" + strconv.Itoa(er.Code) + " " + er.Title + ")"
					}
				default:
					continue
				}
				in.Receipts = append(in.Receipts, r)
			}
			for _, m := range c.Value.Messages {
				in.Replies = append(in.Replies, domain.Reply{Channel: domain.ChannelWhatsApp, From: plus(m.From),
					Text: firstOf(m.Text.Body, m.Button.Text)})
			}
		}
	}
	return in
}
