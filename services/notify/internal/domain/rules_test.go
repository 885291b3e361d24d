package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/notify/internal/domain"
)

func jhb(day, hour, min int) time.Time {
	return time.Date(2026, 3, day, hour, min, 0, 0, domain.Johannesburg)
}

func TestWhenAMessageMayGo(t *testing.T) {
	t.Parallel()
	var week []domain.Interval
	for d := time.Monday; d <= time.Friday; d++ {
		week = append(week, domain.Interval{Weekday: d, Start: 8 * 60, End: 16*60 + 30})
	}
	office := domain.Calendar{Location: domain.Johannesburg, Intervals: week, Holidays: map[string]bool{"2026-03-20": true}}
	for _, tc := range []struct {
		name      string
		got, want time.Time
	}{
		{"a reporter by day: now", domain.NotBeforeForReporter(jhb(3, 12, 0), false), jhb(3, 12, 0)},
		{"a reporter at 20:00: 07:00 next day", domain.NotBeforeForReporter(jhb(3, 20, 0), false), jhb(4, 7, 0)},
		{"a reporter at 03:00: 07:00 that day", domain.NotBeforeForReporter(jhb(4, 3, 0), false), jhb(4, 7, 0)},
		{"a reporter at 06:59: 07:00", domain.NotBeforeForReporter(jhb(4, 6, 59), false), jhb(4, 7, 0)},
		{"a reporter at night where the municipality allows: now", domain.NotBeforeForReporter(jhb(3, 23, 0), true), jhb(3, 23, 0)},
		{"office hours, Tuesday 10:00: now", office.NotBefore(jhb(3, 10, 0)), jhb(3, 10, 0)},
		{"office hours, Tuesday 00:05: 08:00", office.NotBefore(jhb(3, 0, 5)), jhb(3, 8, 0)},
		{"office hours, Tuesday 16:30: Wednesday 08:00", office.NotBefore(jhb(3, 16, 30)), jhb(4, 8, 0)},
		{"office hours, Friday evening: Monday 08:00", office.NotBefore(jhb(6, 18, 0)), jhb(9, 8, 0)},
		{"office hours, Thursday evening before a Friday holiday: Monday", office.NotBefore(jhb(19, 18, 0)), jhb(23, 8, 0)},
		{"a 24x7 calendar: now", domain.Calendar{AlwaysOpen: true}.NotBefore(jhb(7, 2, 0)), jhb(7, 2, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.True(t, tc.want.Equal(tc.got), "want %s, got %s", tc.want, tc.got.In(domain.Johannesburg))
		})
	}
}

func TestWhoHearsOfAnEvent(t *testing.T) {
	t.Parallel()
	water := domain.Team{ID: "w", ManagerID: "mw", EscalationTeamID: "e"}
	escalation := domain.Team{ID: "e", ManagerID: "me"}
	sapsTeam := domain.Team{ID: "s", ManagerID: "ms", IsSAPS: true}
	sit := func(kind domain.Kind, cat, team string, r *domain.Reporter) domain.Situation {
		return domain.Situation{Event: domain.Event{Kind: kind, Category: cat, TeamID: team, PersonID: "p"}, Reporter: r,
			Teams:    map[string]domain.Team{"w": water, "e": escalation, "s": sapsTeam},
			Channels: map[string]domain.TeamChannel{"w": {TeamID: "w", Emails: []string{"w@x.org"}}, "s": {TeamID: "s", WebhookURL: "https://x"}},
			Staff:    map[string]domain.StaffContact{"mw": {UserID: "mw"}, "me": {UserID: "me"}, "ms": {UserID: "ms"}, "p": {UserID: "p"}}}
	}
	who := func(ds []domain.Draft) []string {
		var out []string
		for _, d := range ds {
			out = append(out, string(d.Recipient)+":"+d.RecipientID+":"+string(d.Channel))
		}
		return out
	}
	both := &domain.Reporter{Contact: domain.Contact{Phone: "+27821234567", Email: "a@x.org"}}
	gbvNone := &domain.Reporter{GBV: true, Contact: both.Contact}
	gbvSMS := &domain.Reporter{GBV: true, Contact: both.Contact, Preferences: domain.Preferences{GBVSafe: domain.ChannelSMS}}
	for _, tc := range []struct {
		name string
		s    domain.Situation
		want []string
	}{
		{"a reporter hears of creation on SMS and email by default", sit(domain.KindCreated, "water", "", both),
			[]string{"reporter::sms", "reporter::email"}},
		{"a reporter does not hear of a warning; the manager does", sit(domain.KindSLAWarning, "water", "w", both),
			[]string{"staff:mw:email"}},
		{"a breach: the manager and the escalation target", sit(domain.KindSLABreach, "water", "w", both),
			[]string{"staff:mw:email", "staff:me:email"}},
		{"an assignment: the reporter, the team and the person", sit(domain.KindAssigned, "water", "w", both),
			[]string{"reporter::sms", "reporter::email", "team:w:email", "staff:p:email"}},
		{"GBV without the opt-in: no reporter message", sit(domain.KindResolved, "gbv", "s", gbvNone), nil},
		{"GBV with the opt-in: the safe channel only", sit(domain.KindResolved, "gbv", "s", gbvSMS), []string{"reporter::sms"}},
		{"GBV assigned to a SAPS team: its webhook and the person", sit(domain.KindAssigned, "gbv", "s", gbvNone),
			[]string{"team:s:webhook", "staff:p:email"}},
		{"GBV at a team that is not SAPS: no staff at all", sit(domain.KindSLABreach, "gbv", "w", gbvNone), nil},
		{"an assignment to a team without a channel: its members with a contact", func() domain.Situation {
			s := sit(domain.KindAssigned, "water", "e", nil)
			t := escalation
			t.MemberIDs = []string{"me", "no-contact"}
			s.Teams["e"], s.Event.PersonID = t, ""
			return s
		}(), []string{"staff:me:email"}},
		{"GBV breach at a SAPS team whose escalation team is not SAPS: not the target", func() domain.Situation {
			s := sit(domain.KindSLABreach, "gbv", "s", gbvNone)
			t := sapsTeam
			t.EscalationTeamID = "w"
			s.Teams["s"] = t
			return s
		}(), []string{"staff:ms:email"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, who(domain.Plan(tc.s)))
		})
	}
}

func TestAnEventIsValidatedAndAGBVEventKeepsNoContent(t *testing.T) {
	t.Parallel()
	ev := domain.Event{ID: "6b1f0d1e-8c59-4b8e-a1ad-1c1f9d6c2a10", Tenant: "CPT", TicketID: "6b1f0d1e-8c59-4b8e-a1ad-1c1f9d6c2a11",
		Reference: "CPT-2026-000001", Category: "gbv", Kind: domain.KindAssigned, OccurTime: time.Now(), TeamName: "Unit 7", Note: "x"}
	require.NoError(t, ev.Validate())
	require.Empty(t, ev.TeamName)
	require.Empty(t, ev.Note)
	bad := ev
	bad.Kind, bad.Reporter = domain.KindCreated, domain.Contact{Phone: "0821234567"}
	require.Error(t, bad.Validate(), "notify takes E.164 only: the ticket service normalises")
}
