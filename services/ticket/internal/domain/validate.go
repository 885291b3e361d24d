package domain

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
)

// Input limits, in characters (runes).
const (
	MaxDescription    = 4000
	MaxAddress        = 500
	MaxReporterField  = 200
	MaxIdempotencyKey = 128
	MaxNoteBody       = 4000
	MaxReason         = 1000
	MaxQuery          = 200
	MaxRadiusMeters   = 100000
)

// CreateInput is a new report as the caller gave it.
type CreateInput struct {
	Tenant         string
	Category       Category
	Description    string
	Location       *Point
	Address        string
	Reporter       Reporter
	Channel        Channel
	IdempotencyKey string
	// Preferences say how the reporter wants to hear about the ticket.
	Preferences ReporterPreferences
	// Priority is staff's priority at report time ("" for the rule's).
	Priority Priority
}

// Resolve applies the caller's municipality and the defaults to a report c
// files and validates it: a ticket is created in the caller's own
// municipality only, by the web channel unless it says otherwise.
func (in *CreateInput) Resolve(c access.Caller) error {
	if in.Tenant == "" {
		in.Tenant = c.OwnTenant()
	}
	if err := in.Validate(); err != nil {
		return err
	}
	if in.Tenant == "" || in.Tenant != c.OwnTenant() {
		return apperr.PermissionDenied("tickets can only be created in the caller's own tenant")
	}
	if in.Priority != "" && !c.IsStaff() {
		return apperr.PermissionDenied("only municipal staff set a ticket's priority")
	}
	if in.Channel == "" {
		in.Channel = ChannelWeb
	}
	return nil
}

// Validate refuses bad input, naming every offending field and its rule.
// Text is trimmed first.
func (in *CreateInput) Validate() error {
	in.Description = strings.TrimSpace(in.Description)
	in.Address = strings.TrimSpace(in.Address)
	in.Reporter.Name = strings.TrimSpace(in.Reporter.Name)
	in.Reporter.Phone = strings.TrimSpace(in.Reporter.Phone)
	in.Reporter.Email = strings.TrimSpace(in.Reporter.Email)
	in.IdempotencyKey = strings.TrimSpace(in.IdempotencyKey)
	var vs apperr.Violations
	if in.Category == "" {
		vs.Add("category", "must be one of the known categories")
	}
	if r := textRule(in.Description, MaxDescription, true); r != "" {
		vs.Add("description", r)
	}
	if in.Location == nil {
		vs.Add("location", "is required")
	} else {
		vs = append(vs, PointViolations(*in.Location, "location", true)...)
	}
	if r := textRule(in.Address, MaxAddress, false); r != "" {
		vs.Add("address", r)
	}
	if r := textRule(in.Reporter.Name, MaxReporterField, false); r != "" {
		vs.Add("reporter.name", r)
	}
	if r := textRule(in.Reporter.Phone, MaxReporterField, false); r != "" {
		vs.Add("reporter.phone", r)
	} else if in.Reporter.Phone != "" {
		phone, ok := NormalizePhone(in.Reporter.Phone)
		if !ok {
			vs.Add("reporter.phone", "must be a phone number in E.164 such as +27821234567 (082 123 4567 is read as +27821234567)")
		}
		in.Reporter.Phone = phone
	}
	if r := textRule(in.Reporter.Email, MaxReporterField, false); r != "" {
		vs.Add("reporter.email", r)
	} else if in.Reporter.Email != "" && !validEmail(in.Reporter.Email) {
		vs.Add("reporter.email", "must be an email address such as name@example.org")
	}
	if r := textRule(in.IdempotencyKey, MaxIdempotencyKey, false); r != "" {
		vs.Add("idempotency_key", r)
	}
	in.Preferences.violations(&vs, in.Category, in.Reporter)
	if err := vs.Err(); err != nil {
		return err
	}
	return nil
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// textRule returns the rule a text value breaks, or "": valid UTF-8, no
// control characters other than line breaks and tabs, at most max characters,
// non-empty when required.
func textRule(s string, max int, required bool) string {
	if !utf8.ValidString(s) {
		return "must be valid UTF-8"
	}
	if required && s == "" {
		return "is required"
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("must be at most %d characters", max)
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
			return "must not contain control characters"
		}
	}
	return ""
}

// TextRule is textRule for callers outside the package (notes, reasons).
func TextRule(s string, max int, required bool) string { return textRule(s, max, required) }

// CheckID refuses an id that is not a UUID, naming field.
func CheckID(id, field string) error {
	if id == "" {
		return apperr.Invalid(field, "is required")
	}
	if _, err := uuid.Parse(id); err != nil {
		return apperr.Invalid(field, "must be a UUID")
	}
	return nil
}

// isID reports whether id is a UUID.
func isID(id string) bool { return CheckID(id, "") == nil }

// PointViolations checks a position: finite, in range, and when inSA is set
// inside South Africa's bounding area (the platform's one definition, in
// libs/geo).
func PointViolations(p Point, field string, inSA bool) []apperr.FieldViolation {
	return geo.PointViolations(p.Lat, p.Lng, field, inSA)
}
