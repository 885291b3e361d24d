package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/access"
)

// Message is one message to one recipient on one channel about one event
// (or a digest of several).
type Message struct {
	ID, Tenant, TicketID, EventID string
	GBV                           bool
	Kind                          Kind
	Recipient                     RecipientKind
	RecipientID                   string
	Channel                       Channel
	Language                      Language
	State                         State
	Subject, Body                 string
	Provider, ProviderMessageID   string
	Error                         string
	Attempts                      int32
	NotBefore                     *time.Time
	DigestID                      string
	Create, Update                time.Time
	Sent, Delivered               *time.Time
	// ExportID is the SLA service's report export a RecipientAddress
	// message carries, and Attachment its file.
	ExportID   string
	Attachment *Attachment
}

// Ticket is what notify knows of a ticket from its events.
type Ticket struct {
	ID, Tenant, Reference string
	Category              string
	GBV                   bool
	Status                string
}

// Compose writes the message d says about ev with template t: for a GBV
// ticket the neutral text whatever the template. link is the message's
// unsubscribe link, for a template that names {{.Unsubscribe}}; the
// opt-out line is added at send (Finish), once per message or digest.
func Compose(d Draft, ev Event, t Template, link string) (subject, body string, err error) {
	if ev.IsGBV() {
		subject, body = NeutralText(d.Audience(), ev.Reference, d.Language)
	} else {
		f := FieldsOf(ev, d.Language, link)
		if subject, err = Render(t.Subject, f); err != nil {
			return "", "", err
		}
		if body, err = Render(t.Body, f); err != nil {
			return "", "", err
		}
	}
	if d.Channel != ChannelEmail {
		subject = ""
	}
	return subject, body, nil
}

// Finish is the text m goes out with: a reporter's (or follower's)
// message ends with how to opt out (link is m's signed unsubscribe link).
func Finish(m Message, link string) (subject, body string) {
	body = m.Body
	if m.Recipient.Audience() == AudienceReporter {
		body += "\n" + OptOutLine(m.Channel, m.Language, link)
	}
	return m.Subject, body
}

// FieldsOf are the template fields of ev in language l.
func FieldsOf(ev Event, l Language, link string) Fields {
	f := Fields{Reference: ev.Reference, Status: Open311Status(ev.To, l), StatusDetail: StatusWords(ev.To, l),
		Team: ev.TeamName, Clock: ClockWords(ev.Clock, l), EscalationLevel: ev.EscalationLevel, Note: ev.Note,
		Municipality: ev.Tenant, Unsubscribe: link}
	if ev.Deadline != nil {
		f.Deadline = ev.Deadline.In(Johannesburg).Format("2 Jan 2006 15:04")
	}
	return f
}

// Digest is the text of the one message that carries ms, which waited for
// the same recipient and channel: one message's own text, else each
// distinct body in turn (a GBV ticket's neutral text once) under a
// subject that counts them.
func Digest(ms []Message) (subject, body string) {
	first := ms[0]
	if len(ms) == 1 {
		return first.Subject, first.Body
	}
	var lines []string
	for _, m := range ms {
		if !slices.Contains(lines, m.Body) {
			lines = append(lines, m.Body)
		}
	}
	if first.Channel == ChannelEmail {
		subject = strings.ReplaceAll(digestSubject.in(first.Language), "{n}", strconv.Itoa(len(ms)))
	}
	return subject, strings.Join(lines, "\n\n")
}

// Visibility is what a caller's reads may return, applied by the store's
// queries; row-level security applies the same rules again.
type Visibility struct {
	Tenant     string
	AllTenants bool
	// GBV lets GBV tickets and their messages through.
	GBV bool
}

// VisibilityOf is the visibility of c: its municipality (all of them for
// a platform admin), GBV only for those access.Caller.CanSeeGBV says.
func VisibilityOf(c access.Caller) Visibility {
	return Visibility{Tenant: c.OwnTenant(), AllTenants: c.AllTenants(), GBV: c.CanSeeGBV()}
}
