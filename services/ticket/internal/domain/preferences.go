package domain

import (
	"slices"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
)

// The languages and contact channels a reporter may choose, as the
// contracts word them (salga.common.v1.Language, ContactChannel).
var (
	languages       = []string{"en", "af", "zu", "xh"}
	contactChannels = []string{"sms", "whatsapp", "email"}
)

// ReporterPreferences are how a reporter wants to hear about a ticket; the
// notification service keeps them (see its README).
type ReporterPreferences struct {
	// Language is en, af, zu or xh ("" is English).
	Language string `json:"language,omitempty"`
	// Channels are sms, whatsapp or email; empty means every channel of
	// the contact given.
	Channels []string `json:"channels,omitempty"`
	// GBVSafe is the one channel a GBV reporter opts in to; "" (the
	// default) means nothing is ever sent to them.
	GBVSafe string `json:"gbv_safe_channel,omitempty"`
}

// IsZero reports whether p says nothing (the defaults).
func (p ReporterPreferences) IsZero() bool {
	return p.Language == "" && len(p.Channels) == 0 && p.GBVSafe == ""
}

// violations adds what is wrong with p for a report of category with
// contact r to vs: unknown words, a channel without its contact, and a
// safe channel on a report that is not GBV.
func (p ReporterPreferences) violations(vs *apperr.Violations, category Category, r Reporter) {
	if p.Language != "" && !slices.Contains(languages, p.Language) {
		vs.Add("reporter_preferences.language", "must be one of en, af, zu, xh")
	}
	for i, ch := range p.Channels {
		if !slices.Contains(contactChannels, ch) || slices.Index(p.Channels, ch) != i {
			vs.Add("reporter_preferences.channels", "must be sms, whatsapp or email, each at most once")
			break
		}
		if rule := contactRule(ch, r); rule != "" {
			vs.Add("reporter_preferences.channels", rule)
			break
		}
	}
	switch {
	case p.GBVSafe == "":
	case category != word.CategoryGBV:
		vs.Add("reporter_preferences.gbv_safe_channel", "applies to GBV reports only")
	case !slices.Contains(contactChannels, p.GBVSafe):
		vs.Add("reporter_preferences.gbv_safe_channel", "must be sms, whatsapp or email")
	default:
		if rule := contactRule(p.GBVSafe, r); rule != "" {
			vs.Add("reporter_preferences.gbv_safe_channel", rule)
		}
	}
}

// contactRule says which contact channel ch needs, or "" when r has it.
func contactRule(ch string, r Reporter) string {
	switch {
	case ch == "email" && r.Email == "":
		return "email needs reporter.email"
	case ch != "email" && r.Phone == "":
		return ch + " needs reporter.phone"
	}
	return ""
}
