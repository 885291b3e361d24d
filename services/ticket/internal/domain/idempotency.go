package domain

import (
	"crypto/sha256"
	"encoding/json"
	"time"
)

// IdempotencyWindow is how long an idempotency key stands for the request
// first sent with it. Within it, the same caller sending the same key gets
// the first ticket back for the same request and AlreadyExists for another;
// after it the key is free again (24 hours is the common practice, e.g.
// Stripe's). Documented in the proto and the service README.
const IdempotencyWindow = 24 * time.Hour

// requestForm is the canonical form of a create request that its digest
// covers: every field that shapes the ticket, after validation trimmed
// them, and not the key itself. encoding/json writes struct fields in
// order and map keys sorted, so equal requests give equal bytes.
type requestForm struct {
	Tenant      string            `json:"tenant"`
	Category    Category          `json:"category"`
	Description string            `json:"description"`
	Lat         float64           `json:"lat"`
	Lng         float64           `json:"lng"`
	Address     string            `json:"address"`
	Reporter    Reporter          `json:"reporter"`
	Channel     Channel           `json:"channel"`
	MediaURL    string            `json:"media_url"`
	Attributes  map[string]string `json:"attributes"`
	// Preferences are left out when they say nothing, so the digests of
	// keys stored before they existed still match.
	Preferences *ReporterPreferences `json:"preferences,omitempty"`
	// Priority likewise.
	Priority Priority `json:"priority,omitempty"`
}

// Digest is the SHA-256 of the validated request's canonical form, kept
// with its idempotency key to tell a retry from another request.
func (in CreateInput) Digest() []byte { return digest(in, "", nil) }

// Digest is CreateInput.Digest covering the media URL and attributes too.
func (r PublicReport) Digest() []byte { return digest(r.CreateInput, r.MediaURL, r.Attributes) }

func digest(in CreateInput, mediaURL string, attrs map[string]string) []byte {
	f := requestForm{Tenant: in.Tenant, Category: in.Category, Description: in.Description, Address: in.Address,
		Reporter: in.Reporter, Channel: in.Channel, MediaURL: mediaURL, Attributes: attrs, Priority: in.Priority}
	if in.Location != nil {
		f.Lat, f.Lng = in.Location.Lat, in.Location.Lng
	}
	if len(attrs) == 0 {
		f.Attributes = nil
	}
	if !in.Preferences.IsZero() {
		f.Preferences = &in.Preferences
	}
	b, _ := json.Marshal(f) // strings, numbers and a string map: cannot fail
	sum := sha256.Sum256(b)
	return sum[:]
}
