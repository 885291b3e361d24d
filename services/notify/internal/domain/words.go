// Package domain holds the notification service's types and rules, without
// I/O: what an event is and who must hear of it (Plan), on which channels
// and when (business hours, night hours), what a message says (templates,
// the neutral GBV text), what a reporter accepts, and how links and
// webhooks are signed. It knows nothing of gRPC, Postgres or providers.
package domain

import "slices"

// Kind is what happened to a ticket, as the contract's EventKind words it.
type Kind string

// The kinds of event.
const (
	KindCreated       Kind = "created"
	KindAcknowledged  Kind = "acknowledged"
	KindStatusChanged Kind = "status_changed"
	KindResolved      Kind = "resolved"
	KindClosed        Kind = "closed"
	KindNotePublic    Kind = "note_public"
	KindAssigned      Kind = "assigned"
	KindEscalated     Kind = "escalated"
	KindSLAWarning    Kind = "sla_warning"
	KindSLABreach     Kind = "sla_breach"
)

// Kinds are every kind of event, in the contract's order.
var Kinds = []Kind{KindCreated, KindAcknowledged, KindStatusChanged, KindResolved, KindClosed,
	KindNotePublic, KindAssigned, KindEscalated, KindSLAWarning, KindSLABreach}

// Known reports whether k is a kind of event.
func (k Kind) Known() bool { return slices.Contains(Kinds, k) }

// Channel is how a message travels, as the contract's MessageChannel words
// it (a reporter's ContactChannel uses the same words).
type Channel string

// The channels.
const (
	ChannelSMS      Channel = "sms"
	ChannelWhatsApp Channel = "whatsapp"
	ChannelEmail    Channel = "email"
	ChannelWebhook  Channel = "webhook"
)

// Channels are every channel.
var Channels = []Channel{ChannelSMS, ChannelWhatsApp, ChannelEmail, ChannelWebhook}

// ContactChannels are the channels a reporter may be reached on.
var ContactChannels = []Channel{ChannelSMS, ChannelWhatsApp, ChannelEmail}

// Language is a language messages are written in.
type Language string

// The languages, English the default.
const (
	LangEN Language = "en"
	LangAF Language = "af"
	LangZU Language = "zu"
	LangXH Language = "xh"
)

// Languages are every language.
var Languages = []Language{LangEN, LangAF, LangZU, LangXH}

// Or is l, or English when l is not set.
func (l Language) Or() Language {
	if l == "" {
		return LangEN
	}
	return l
}

// State is where a message is, as the contract's MessageState words it.
type State string

// The states of a message.
const (
	StateWaiting    State = "waiting"
	StateQueued     State = "queued"
	StateSending    State = "sending"
	StateSent       State = "sent"
	StateDelivered  State = "delivered"
	StateFailed     State = "failed"
	StateSuppressed State = "suppressed"
	StateDigested   State = "digested"
)

// Audience is whom a template speaks to.
type Audience string

// The audiences.
const (
	AudienceReporter Audience = "reporter"
	AudienceStaff    Audience = "staff"
)

// RecipientKind is who a message is for.
type RecipientKind string

// The kinds of recipient.
const (
	RecipientReporter RecipientKind = "reporter"
	// RecipientFollower is someone following a ticket, reached as the
	// reporter of their own ticket (the recipient id).
	RecipientFollower RecipientKind = "follower"
	RecipientStaff    RecipientKind = "staff"
	RecipientTeam     RecipientKind = "team"
)

// Audience is the audience of messages to a recipient of kind r.
func (r RecipientKind) Audience() Audience {
	if r == RecipientReporter || r == RecipientFollower {
		return AudienceReporter
	}
	return AudienceStaff
}
