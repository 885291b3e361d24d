package domain

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/apperr"
)

// Outgoing is one message as a provider takes it.
type Outgoing struct {
	// MessageID is the message's id (an email's Message-ID, a webhook's id).
	MessageID, Tenant string
	Channel           Channel
	// To are the addresses: email addresses, one E.164 phone, or the
	// webhook's URL.
	To       []string
	Subject  string
	Body     string
	Language Language
	// Unsubscribe is the message's opt-out link (email List-Unsubscribe).
	Unsubscribe string
	// InWindow says a WhatsApp reporter wrote to us in the last 24 hours,
	// so free text may be sent; outside it only an approved template.
	InWindow bool
	// TemplateParams are the WhatsApp template's parameters.
	TemplateParams []string
	// GBV selects the neutral WhatsApp template.
	GBV bool
	// Secret signs a webhook; Payload is its JSON body.
	Secret  string
	Payload []byte
	// Attachment is a file an email carries (a scheduled report).
	Attachment *Attachment
}

// Sent is what a provider answered for an accepted message.
type Sent struct {
	Provider, ProviderMessageID string
	// Delivered says acceptance is delivery (a webhook's 2xx).
	Delivered bool
}

// SendError is a provider's refusal. A temporary one (network, timeout,
// 5xx, 429, SMTP 4xx) is retried under the queue's backoff; a permanent
// one (a bad number, 4xx, SMTP 5xx) is final.
type SendError struct {
	Permanent bool
	Reason    string
}

// Error implements error.
func (e *SendError) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("%s delivery failure: %s", kind, e.Reason)
}

// Temporary is a SendError to retry.
func Temporary(format string, args ...any) error {
	return &SendError{Reason: fmt.Sprintf(format, args...)}
}

// Permanent is a SendError not to retry.
func Permanent(format string, args ...any) error {
	return &SendError{Permanent: true, Reason: fmt.Sprintf(format, args...)}
}

// IsPermanent reports whether err is a permanent SendError.
func IsPermanent(err error) (string, bool) {
	var se *SendError
	if errors.As(err, &se) && se.Permanent {
		return se.Reason, true
	}
	return "", false
}

// Receipt is a provider's word on a message it took.
type Receipt struct {
	ProviderMessageID string
	// State is StateSent, StateDelivered or StateFailed.
	State State
	// Error is the provider's error, for a failure.
	Error string
}

// Advances reports whether r moves a message in state s forward: receipts
// arrive out of order and more than once, and a delivered or failed
// message stays so.
func (r Receipt) Advances(s State) bool {
	rank := map[State]int{StateQueued: 1, StateSending: 1, StateSent: 2, StateDelivered: 3, StateFailed: 3}
	return rank[r.State] > rank[s]
}

// Reply is a message a reporter sent us (an inbound SMS or WhatsApp).
type Reply struct {
	Channel Channel
	From    string
	Text    string
	Time    time.Time
}

// stopWords are the replies that opt the sender out (the carriers'
// standard keywords).
var stopWords = []string{"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "STOP ALL"}

// IsStop reports whether r asks to hear no more.
func (r Reply) IsStop() bool {
	return slices.Contains(stopWords, strings.ToUpper(strings.TrimSpace(r.Text)))
}

// Inbound is what a provider's webhook carried, once its signature holds.
type Inbound struct {
	Receipts []Receipt
	Replies  []Reply
	// Answer is what to answer the provider with (a verification
	// challenge, TwiML); empty for a plain 200.
	Answer      []byte
	ContentType string
}

// Webhook is an inbound provider request as the gateway received it.
type Webhook struct {
	Tenant, Provider string
	Method           string
	// URL is the full URL the provider called (public base, path, query).
	URL     string
	Headers map[string]string
	Body    []byte
}

// ForTenant is the municipality of the webhook's URL.
func (w Webhook) ForTenant() string { return w.Tenant }

// Apply moves m forward as r says, at now, reporting whether it did.
func (r Receipt) Apply(m *Message, now time.Time) bool {
	if !r.Advances(m.State) {
		return false
	}
	m.State, m.Update = r.State, now
	switch r.State {
	case StateDelivered:
		m.Delivered, m.Error = &now, ""
	case StateFailed:
		m.Error = r.Error
	case StateSent:
		if m.Sent == nil {
			m.Sent = &now
		}
	}
	return true
}

// Validate refuses a malformed webhook, naming the field.
func (w *Webhook) Validate() error {
	var vs apperr.Violations
	if w.Tenant == "" {
		vs.Add("tenant", "is required")
	}
	if w.Provider == "" {
		vs.Add("provider", "must be twilio, clickatell or whatsapp")
	}
	if w.Method != "GET" && w.Method != "POST" {
		vs.Add("method", "must be GET or POST")
	}
	if len(w.Body) > MaxWebhookBody {
		vs.Add("body", "must be at most 1 MiB")
	}
	return vs.Err()
}

// MaxWebhookBody bounds a webhook's body.
const MaxWebhookBody = 1 << 20
