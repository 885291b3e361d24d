package domain

import (
	"slices"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
)

// Preferences are how a reporter wants to hear about a ticket.
type Preferences struct {
	Language Language
	// Channels the reporter accepts; empty means every channel of the
	// contact, SMS for a phone and email for an address.
	Channels []Channel
	// GBVSafe is the one channel a GBV reporter said is safe; "" (the
	// default) means nothing is ever sent to them.
	GBVSafe Channel
}

// Violations adds the preferences' bad fields, under prefix, to vs.
func (p Preferences) Violations(vs *apperr.Violations, prefix string) {
	if p.Language != "" && !slices.Contains(Languages, p.Language) {
		vs.Add(prefix+".language", "must be one of en, af, zu, xh")
	}
	for i, ch := range p.Channels {
		if !slices.Contains(ContactChannels, ch) || slices.Index(p.Channels, ch) != i {
			vs.Add(prefix+".channels", "must be sms, whatsapp or email, each at most once")
			break
		}
	}
	if p.GBVSafe != "" && !slices.Contains(ContactChannels, p.GBVSafe) {
		vs.Add(prefix+".gbv_safe_channel", "must be sms, whatsapp or email")
	}
}

// Reporter is the person who reported a ticket, as far as messages go.
type Reporter struct {
	Tenant, TicketID string
	GBV              bool
	Subject          string
	Contact          Contact
	Preferences      Preferences
}

// Accepts are the channels the reporter may get messages on: for a GBV
// reporter only the safe channel they chose at report time, when they gave
// an address for it, and nothing otherwise; for anyone else the channels
// they chose (or, having chosen none, SMS for a phone and email for an
// address) that they gave an address for.
func (r Reporter) Accepts() []Channel {
	reach := r.Contact.Reachable()
	if r.GBV {
		if r.Preferences.GBVSafe != "" && slices.Contains(reach, r.Preferences.GBVSafe) {
			return []Channel{r.Preferences.GBVSafe}
		}
		return nil
	}
	chosen := r.Preferences.Channels
	if len(chosen) == 0 {
		chosen = []Channel{ChannelSMS, ChannelEmail}
	}
	var out []Channel
	for _, ch := range chosen {
		if slices.Contains(reach, ch) {
			out = append(out, ch)
		}
	}
	return out
}

// MaySee reports whether c may read r's preferences: the reporter's own
// account, or the municipality's staff (row-level security already hides
// a GBV reporter from all but the SAPS liaison).
func (r Reporter) MaySee(c access.Caller) bool {
	return c.IsStaff() || (c.Has(auth.RoleCitizen) && c.Subject() == r.Subject && r.Subject != "")
}

// DecidePreferences rules on c setting r's preferences to p: the reporter
// or staff, each channel with an address; for a GBV reporter only the
// SAPS liaison, and only to switch the safe channel off, since the opt-in
// is the reporter's own, given at report time (an abuser holding the
// phone later must not be able to turn messages on).
func DecidePreferences(c access.Caller, r Reporter, p Preferences) (Preferences, error) {
	if !r.MaySee(c) {
		return p, apperr.PermissionDenied("only the reporter or the municipality's staff change a reporter's preferences")
	}
	var vs apperr.Violations
	p.Violations(&vs, "preferences")
	if err := vs.Err(); err != nil {
		return p, err
	}
	if r.GBV {
		if !c.CanActOnGBV() {
			return p, apperr.PermissionDenied("only the SAPS liaison changes a GBV reporter's preferences")
		}
		if p.GBVSafe != "" && p.GBVSafe != r.Preferences.GBVSafe {
			return p, apperr.Invalid("preferences.gbv_safe_channel", "a GBV reporter's safe channel can only be switched off: the opt-in is given at report time")
		}
		return Preferences{Language: p.Language, GBVSafe: p.GBVSafe}, nil
	}
	if p.GBVSafe != "" {
		return p, apperr.Invalid("preferences.gbv_safe_channel", "applies to GBV reports only")
	}
	reach := r.Contact.Reachable()
	for _, ch := range p.Channels {
		if !slices.Contains(reach, ch) {
			return p, apperr.Invalid("preferences.channels", "the reporter gave no address for "+string(ch))
		}
	}
	return p, nil
}
