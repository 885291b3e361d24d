package domain

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
)

// Limits of the public (Open311) RPCs.
const (
	// MaxPublicPage is the most public tickets one call returns; Open311
	// asks for at most 1000 requests by default.
	MaxPublicPage = 1000
	// MaxMediaURL bounds a report's media URL.
	MaxMediaURL = 2000
	// maxAttributes bounds how many attribute answers a report may carry.
	maxAttributes = 20
)

// ChannelOpen311 is the channel of reports filed through Open311.
const ChannelOpen311 Channel = "open311"

// PublicTicket is what the public (Open311) may see of a non-GBV ticket:
// the ticket without reporter details, its public notes and the
// attachments staff made public.
type PublicTicket struct {
	Ticket
	Notes       []Note
	Attachments []Attachment
}

// PublicFilter selects public tickets of one tenant. GBV tickets never match,
// whatever the filter says.
type PublicFilter struct {
	Tenant                      string
	IDs                         []string
	Categories                  []Category
	Statuses                    []Status
	CreatedAfter, CreatedBefore *time.Time
	UpdatedAfter, UpdatedBefore *time.Time
	Near                        *Circle
	Limit, Offset               int
	WithNotes                   bool
}

// ForTenant is the jurisdiction f reads.
func (f PublicFilter) ForTenant() string { return f.Tenant }

// Validate refuses a malformed filter, naming every field, and fills the
// default page size.
func (f *PublicFilter) Validate() error {
	var vs apperr.Violations
	if f.Tenant == "" {
		vs.Add("tenant", "is required")
	}
	if len(f.IDs) > MaxPublicPage {
		vs.Add("ids", fmt.Sprintf("must list at most %d ids", MaxPublicPage))
	}
	if slices.ContainsFunc(f.IDs, func(id string) bool { return !isID(id) }) {
		vs.Add("ids", "must contain only UUIDs")
	}
	if f.Limit < 0 || f.Limit > MaxPublicPage {
		vs.Add("page_size", fmt.Sprintf("must be between 0 and %d", MaxPublicPage))
	}
	if f.Offset < 0 {
		vs.Add("offset", "must not be negative")
	}
	if c := f.Near; c != nil {
		vs = append(vs, c.violations("near")...)
	}
	if err := vs.Err(); err != nil {
		return err
	}
	if f.Limit == 0 {
		f.Limit = MaxPublicPage
	}
	return nil
}

// PublicReport is a report filed by an API client on a citizen's behalf.
type PublicReport struct {
	CreateInput
	// ClientID is the API key id of the filing application.
	ClientID string
	// MediaURL links a photo or other media.
	MediaURL string
	// Attributes are answers to the service's attributes by code.
	Attributes map[string]string
}

// Validate refuses a malformed report, naming every field (CreateInput's
// rules and the client's, media URL's and attributes'), and makes it an
// Open311 report. A GBV report's media URL and attributes are folded into
// its description, which is sealed: no GBV content may sit in plaintext
// columns.
func (r *PublicReport) Validate() error {
	var vs apperr.Violations
	if r.Tenant == "" {
		vs.Add("tenant", "is required")
	}
	if !isID(r.ClientID) {
		vs.Add("client_id", "must be a UUID")
	}
	if rule := mediaURLRule(r.MediaURL); rule != "" {
		vs.Add("media_url", rule)
	}
	vs = append(vs, attributeViolations(r.Attributes)...)
	var ae *apperr.Error
	if err := r.CreateInput.Validate(); errors.As(err, &ae) {
		vs = append(vs, ae.Violations()...)
	} else if err != nil {
		return err
	}
	if err := vs.Err(); err != nil {
		return err
	}
	r.Channel = ChannelOpen311
	if r.Category == word.CategoryGBV {
		r.Description = r.foldedDescription()
		r.MediaURL, r.Attributes = "", nil
	}
	return nil
}

// ForTenant is the jurisdiction r is filed in.
func (r PublicReport) ForTenant() string { return r.Tenant }

// Reporter is the subject an Open311 report is filed by: the client
// application's.
func (r PublicReport) Reporter() string { return "open311:" + r.ClientID }

// mediaURLRule returns the rule a media URL breaks, or "".
func mediaURLRule(s string) string {
	if s == "" {
		return ""
	}
	if r := TextRule(s, MaxMediaURL, false); r != "" {
		return r
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "must be an absolute http or https URL"
	}
	return ""
}

// attributeViolations checks attribute answers: few, short codes and values.
func attributeViolations(attrs map[string]string) []apperr.FieldViolation {
	if len(attrs) > maxAttributes {
		return []apperr.FieldViolation{{Field: "attributes", Rule: fmt.Sprintf("must have at most %d entries", maxAttributes)}}
	}
	var vs apperr.Violations
	for k, val := range attrs {
		if r := TextRule(k, 64, true); r != "" {
			vs.Add("attributes", "codes "+r)
		}
		if r := TextRule(val, MaxReporterField, false); r != "" {
			vs.Add("attributes["+k+"]", r)
		}
	}
	return vs
}

// foldedDescription is the description with the media URL and the
// attributes appended, sorted by code.
func (r PublicReport) foldedDescription() string {
	var b strings.Builder
	b.WriteString(r.Description)
	if r.MediaURL != "" {
		b.WriteString("\n\nmedia_url: " + r.MediaURL)
	}
	for _, k := range slices.Sorted(maps.Keys(r.Attributes)) {
		b.WriteString("\n" + k + ": " + r.Attributes[k])
	}
	return b.String()
}
