package domain

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/salga/trustengine/libs/apperr"
)

// e164 is a phone number in E.164: a plus, a country code that does not
// start with 0, at most 15 digits in all.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// IsE164 reports whether phone is in E.164.
func IsE164(phone string) bool { return e164.MatchString(phone) }

// IsEmail reports whether s is a bare email address.
func IsEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// Contact is how a reporter may be reached (personal information; sealed
// at rest for GBV reporters).
type Contact struct {
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// Violations adds the contact's bad fields, under prefix, to vs.
func (c Contact) Violations(vs *apperr.Violations, prefix string) {
	if r := TextRule(c.Name, maxTeamName); r != "" {
		vs.Add(prefix+".name", r)
	}
	if c.Phone != "" && !IsE164(c.Phone) {
		vs.Add(prefix+".phone", "must be in E.164, such as +27821234567")
	}
	if c.Email != "" && (len(c.Email) > 254 || !IsEmail(c.Email)) {
		vs.Add(prefix+".email", "must be an email address such as name@example.org")
	}
}

// Reachable are the channels c gives an address for: SMS and WhatsApp for
// a phone, email for an address.
func (c Contact) Reachable() []Channel {
	var out []Channel
	if c.Phone != "" {
		out = append(out, ChannelSMS, ChannelWhatsApp)
	}
	if c.Email != "" {
		out = append(out, ChannelEmail)
	}
	return out
}

// Address is c's address on ch: its phone or its email.
func (c Contact) Address(ch Channel) string {
	switch ch {
	case ChannelSMS, ChannelWhatsApp:
		return c.Phone
	case ChannelEmail:
		return c.Email
	}
	return ""
}

// NormalAddress is an address as opt-outs key it: a phone as is, an email
// in lower case.
func NormalAddress(ch Channel, addr string) string {
	if ch == ChannelEmail {
		return strings.ToLower(strings.TrimSpace(addr))
	}
	return strings.TrimSpace(addr)
}

// TextRule returns the rule a text breaks, or "": valid UTF-8, no control
// characters but line breaks and tabs, at most max characters.
func TextRule(s string, max int) string {
	if !utf8.ValidString(s) {
		return "must be valid UTF-8"
	}
	if utf8.RuneCountInString(s) > max {
		return fmt.Sprintf("must be at most %d characters", max)
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
			return "must not contain control characters"
		}
	}
	return ""
}

// Printable reports whether s has no control characters at all.
func Printable(s string) bool {
	return utf8.ValidString(s) && !slices.ContainsFunc([]rune(s), func(r rune) bool { return r < 0x20 || r == 0x7f })
}
