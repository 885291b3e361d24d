package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Links signs what the service hands out and must recognise later: the
// unsubscribe link of each message, and the keyed hash opt-outs are stored
// under (so an opt-out list holds no phone numbers or addresses: a GBV
// reporter's phone is sealed everywhere else).
type Links struct {
	// Secret is NOTIFY_LINK_SECRET.
	Secret []byte
	// BaseURL is the gateway's public URL (NOTIFY_PUBLIC_URL).
	BaseURL string
}

// mac is HMAC-SHA256 of parts under the secret, each part ended by a zero
// byte so that no two lists of parts sign alike.
func (l Links) mac(parts ...string) []byte {
	m := hmac.New(sha256.New, l.Secret)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

// Signature is the signature of the unsubscribe link of message id of
// tenant.
func (l Links) Signature(tenant, id string) string {
	return hex.EncodeToString(l.mac("unsubscribe", tenant, id))
}

// Verify reports whether sig is the signature of message id's link.
func (l Links) Verify(tenant, id, sig string) bool {
	got, err := hex.DecodeString(sig)
	return err == nil && hmac.Equal(got, l.mac("unsubscribe", tenant, id))
}

// Unsubscribe is the link that opts the recipient of message id out of its
// channel, through the gateway.
func (l Links) Unsubscribe(tenant, id string) string {
	q := url.Values{"tenant": {tenant}, "message": {id}, "sig": {l.Signature(tenant, id)}}
	return l.BaseURL + "/notify/unsubscribe?" + q.Encode()
}

// AddressHash is the key an address's opt-out (or last inbound message) is
// stored under: a keyed hash of the channel and the normal form of the
// address, so the table holds no addresses.
func (l Links) AddressHash(tenant string, ch Channel, addr string) []byte {
	return l.mac("address", tenant, string(ch), NormalAddress(ch, addr))
}

// WebhookURL is where provider p sends tenant's receipts and replies.
func (l Links) WebhookURL(tenant, provider string) string {
	return l.BaseURL + "/notify/webhooks/" + tenant + "/" + provider
}

// SignatureHeader is the header of a team webhook's signature.
const SignatureHeader = "X-TrustEngine-Signature"

// SignWebhook is the SignatureHeader value of body sent at t with secret:
// `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<unix seconds>." + body)>`.
// The receiver recomputes the HMAC over the timestamp, a dot and the raw
// body, compares in constant time, and refuses a timestamp older than a
// few minutes (a replay).
func SignWebhook(secret string, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "."))
	m.Write(body)
	return fmt.Sprintf("t=%s,v1=%s", ts, hex.EncodeToString(m.Sum(nil)))
}
