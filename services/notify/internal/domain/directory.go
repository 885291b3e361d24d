package domain

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/apperr"
)

// Team is a team as routing describes it.
type Team struct {
	ID, Name         string
	IsSAPS           bool
	ManagerID        string
	EscalationTeamID string
	// MemberIDs are the user ids of its members.
	MemberIDs []string
}

// StaffContact is how a member of staff is reached.
type StaffContact struct {
	UserID   string
	Email    string
	Language Language
	Update   time.Time
}

// Validate refuses a bad contact, naming the field.
func (s *StaffContact) Validate() error {
	s.UserID, s.Email = strings.TrimSpace(s.UserID), strings.TrimSpace(s.Email)
	var vs apperr.Violations
	if s.UserID == "" || len(s.UserID) > maxID || !Printable(s.UserID) {
		vs.Add("user_id", "is required: printable, at most 200 bytes")
	}
	if len(s.Email) > 254 || !IsEmail(s.Email) {
		vs.Add("contact.email", "must be an email address such as name@example.org")
	}
	if s.Language != "" && !slices.Contains(Languages, s.Language) {
		vs.Add("contact.language", "must be one of en, af, zu, xh")
	}
	return vs.Err()
}

// Limits of a team channel.
const (
	maxTeamEmails    = 20
	minWebhookSecret = 32
)

// TeamChannel is how a team as a whole is reached.
type TeamChannel struct {
	TeamID            string
	Emails            []string
	WebhookURL        string
	WebhookSecret     string
	BusinessHoursOnly bool
	Language          Language
	Update            time.Time
}

// Validate refuses a bad channel, naming the field. devMode lets a
// webhook go to a loopback http URL (a local tool).
func (t *TeamChannel) Validate(devMode bool) error {
	var vs apperr.Violations
	if !IsID(t.TeamID) {
		vs.Add("team_id", "must be a UUID")
	}
	if len(t.Emails) > maxTeamEmails {
		vs.Add("channel.emails", "must be at most 20 addresses")
	}
	for i, e := range t.Emails {
		t.Emails[i] = strings.TrimSpace(e)
		if len(t.Emails[i]) > 254 || !IsEmail(t.Emails[i]) || slices.Index(t.Emails, t.Emails[i]) != i {
			vs.Add("channel.emails", "must be email addresses such as roads@example.org, each once")
			break
		}
	}
	t.WebhookURL = strings.TrimSpace(t.WebhookURL)
	if t.WebhookURL != "" {
		if r := webhookURLRule(t.WebhookURL, devMode); r != "" {
			vs.Add("channel.webhook_url", r)
		}
		if len(t.WebhookSecret) < minWebhookSecret || len(t.WebhookSecret) > 512 || !Printable(t.WebhookSecret) {
			vs.Add("channel.webhook_secret", "is required with a webhook: 32 to 512 printable characters")
		}
	}
	if t.Language != "" && !slices.Contains(Languages, t.Language) {
		vs.Add("channel.language", "must be one of en, af, zu, xh")
	}
	return vs.Err()
}

// webhookURLRule returns what is wrong with a webhook URL, or "".
func webhookURLRule(raw string, devMode bool) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || len(raw) > 2000 || u.User != nil {
		return "must be an absolute https URL without credentials, at most 2000 characters"
	}
	loopback := u.Hostname() == "localhost" || strings.HasPrefix(u.Hostname(), "127.") || u.Hostname() == "::1"
	if u.Scheme == "https" || (u.Scheme == "http" && devMode && loopback) {
		return ""
	}
	return "must be an https URL (http only to a loopback address in development mode)"
}

// Settings are a municipality's settings for its messages.
type Settings struct {
	Tenant string
	// ReporterAtNight lets reporters get messages between 20:00 and 07:00.
	ReporterAtNight bool
	Update          *time.Time
}
