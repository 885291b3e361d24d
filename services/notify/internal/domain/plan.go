package domain

import "slices"

// Draft is one message Plan decided: to whom, on which channel, in which
// language, and whether it waits for a team's business hours.
type Draft struct {
	Recipient   RecipientKind
	RecipientID string
	Channel     Channel
	Language    Language
	// HoursTeam is the team whose channel asks for business hours, when
	// one does; its calendar decides when the message may go.
	HoursTeam string
	// Suppressed, when set, records the message as not sent and why (a
	// member of staff without a contact).
	Suppressed string
}

// Audience is whom d speaks to.
func (d Draft) Audience() Audience { return d.Recipient.Audience() }

// Situation is everything Plan needs to know about an event: the reporter
// (nil when the ticket's creation was never heard of), the teams the event
// names as routing has them, their channels and the staff directory.
type Situation struct {
	Event    Event
	Reporter *Reporter
	// Followers are the reporters of the tickets the event names as its
	// followers that notify has heard of.
	Followers []Reporter
	Teams     map[string]Team
	Channels  map[string]TeamChannel
	Staff     map[string]StaffContact
}

// FollowerKinds are the events followers hear of: the ticket's status
// changes and its public notes, the updates on the problem they reported
// too.
var FollowerKinds = []Kind{KindAcknowledged, KindStatusChanged, KindResolved, KindClosed, KindNotePublic}

// TeamIDs are the teams Plan needs to know about for ev: the team it
// names, for the events staff hear of.
func TeamIDs(ev Event) []string {
	if ev.TeamID == "" || !slices.Contains(AudienceKinds[AudienceStaff], ev.Kind) {
		return nil
	}
	return []string{ev.TeamID}
}

// FollowUpTeamIDs are the further teams a breach needs: the escalation
// team of the team that breached, whose manager is the escalation target.
func FollowUpTeamIDs(ev Event, teams map[string]Team) []string {
	t, ok := teams[ev.TeamID]
	if ev.Kind != KindSLABreach || !ok || t.EscalationTeamID == "" || t.EscalationTeamID == t.ID {
		return nil
	}
	return []string{t.EscalationTeamID}
}

// StaffIDs are the members of staff Plan may message about ev.
func StaffIDs(ev Event, teams map[string]Team) []string {
	var out []string
	for _, t := range teams {
		if t.ManagerID != "" {
			out = append(out, t.ManagerID)
		}
		out = append(out, t.MemberIDs...)
	}
	if ev.PersonID != "" {
		out = append(out, ev.PersonID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Plan decides who hears of an event and on which channels:
//   - the reporter, on every channel they accept (Reporter.Accepts: for
//     GBV only the safe channel they opted in to), of the events reporters
//     hear of;
//   - each follower, of the ticket's status changes and public notes
//     (FollowerKinds), on every channel they accepted as the reporter of
//     their own ticket, once per address: not on an address the reporter
//     or an earlier follower is told at. Nobody follows a GBV ticket, and
//     the reporter of a GBV ticket follows nothing;
//   - on assignment, the team (its emails and webhook; a team without a
//     channel, each of its members the directory has a contact for) and the
//     person assigned;
//   - on escalation, the new team as on assignment, its manager and the
//     person assigned;
//   - at an SLA warning, the manager of the team;
//   - at a breach, the manager of the team and, as escalation target, the
//     manager of its escalation team.
//
// For a GBV ticket staff are told only through SAPS teams: a team that is
// not SAPS, and its people, hear nothing. Each (recipient, channel) once.
func Plan(s Situation) []Draft {
	var out []Draft
	ev := s.Event
	if s.Reporter != nil && slices.Contains(AudienceKinds[AudienceReporter], ev.Kind) {
		for _, ch := range s.Reporter.Accepts() {
			out = append(out, Draft{Recipient: RecipientReporter, Channel: ch, Language: s.Reporter.Preferences.Language.Or()})
		}
	}
	out = append(out, s.followerDrafts()...)
	team, ok := s.Teams[ev.TeamID]
	if !ok || !slices.Contains(AudienceKinds[AudienceStaff], ev.Kind) || (ev.IsGBV() && !team.IsSAPS) {
		return out
	}
	switch ev.Kind {
	case KindAssigned:
		out = append(out, s.teamDrafts(team)...)
		out = append(out, s.staffDraft(ev.PersonID, team)...)
	case KindEscalated:
		out = append(out, s.teamDrafts(team)...)
		out = append(out, s.staffDraft(team.ManagerID, team)...)
		out = append(out, s.staffDraft(ev.PersonID, team)...)
	case KindSLAWarning:
		out = append(out, s.staffDraft(team.ManagerID, team)...)
	case KindSLABreach:
		out = append(out, s.staffDraft(team.ManagerID, team)...)
		if target, ok := s.Teams[team.EscalationTeamID]; ok && target.ID != team.ID && (!ev.IsGBV() || target.IsSAPS) {
			out = append(out, s.staffDraft(target.ManagerID, target)...)
		}
	}
	return unique(out)
}

// followerDrafts are the messages to the followers of s's event: each on
// the channels they accept, skipping an address someone before them (the
// reporter first) is told at.
func (s Situation) followerDrafts() []Draft {
	ev := s.Event
	if ev.IsGBV() || !slices.Contains(FollowerKinds, ev.Kind) {
		return nil
	}
	type address struct {
		channel Channel
		to      string
	}
	told := map[address]bool{}
	if s.Reporter != nil {
		for _, ch := range s.Reporter.Accepts() {
			told[address{ch, NormalAddress(ch, s.Reporter.Contact.Address(ch))}] = true
		}
	}
	var out []Draft
	for _, f := range s.Followers {
		if f.GBV || f.TicketID == ev.TicketID {
			continue
		}
		for _, ch := range f.Accepts() {
			a := address{ch, NormalAddress(ch, f.Contact.Address(ch))}
			if told[a] {
				continue
			}
			told[a] = true
			out = append(out, Draft{Recipient: RecipientFollower, RecipientID: f.TicketID, Channel: ch,
				Language: f.Preferences.Language.Or()})
		}
	}
	return out
}

// teamDrafts are the messages to team t: to its channel (its emails and
// its webhook), or, for a team without one, to each member the directory
// has a contact for.
func (s Situation) teamDrafts(t Team) []Draft {
	ch, ok := s.Channels[t.ID]
	if !ok {
		var out []Draft
		for _, m := range t.MemberIDs {
			if _, known := s.Staff[m]; known {
				out = append(out, s.staffDraft(m, t)...)
			}
		}
		return out
	}
	var out []Draft
	d := Draft{Recipient: RecipientTeam, RecipientID: t.ID, Language: ch.Language.Or(), HoursTeam: s.hoursTeam(t)}
	if len(ch.Emails) > 0 {
		d.Channel = ChannelEmail
		out = append(out, d)
	}
	if ch.WebhookURL != "" {
		d.Channel = ChannelWebhook
		out = append(out, d)
	}
	return out
}

// staffDraft is the email to user about team t's ticket, or a suppressed
// one when the directory has no contact for them.
func (s Situation) staffDraft(user string, t Team) []Draft {
	if user == "" {
		return nil
	}
	d := Draft{Recipient: RecipientStaff, RecipientID: user, Channel: ChannelEmail, HoursTeam: s.hoursTeam(t)}
	c, ok := s.Staff[user]
	if !ok {
		d.Language, d.Suppressed = LangEN, "no staff contact for this user"
		return []Draft{d}
	}
	d.Language = c.Language.Or()
	return []Draft{d}
}

// hoursTeam is t's id when its channel asks for business hours. GBV
// messages never wait: a SAPS team hears at once, day or night.
func (s Situation) hoursTeam(t Team) string {
	if ch, ok := s.Channels[t.ID]; ok && ch.BusinessHoursOnly && !s.Event.IsGBV() {
		return t.ID
	}
	return ""
}

// unique keeps the first draft of each (recipient, channel).
func unique(ds []Draft) []Draft {
	type key struct {
		k       RecipientKind
		id      string
		channel Channel
	}
	seen := map[key]bool{}
	out := ds[:0]
	for _, d := range ds {
		k := key{d.Recipient, d.RecipientID, d.Channel}
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}
