package server_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// thandi is a reporter with a phone and an email address.
var thandi = &notifyv1.ReporterContact{Name: "Thandi", Phone: "+27821234567", Email: "thandi@example.org"}

// follow sends the life of a water ticket: created (reporter in lang),
// assigned, acknowledged, resolved; it returns the events in order.
func follow(t *testing.T, h *harness, lang commonv1.Language) []*notifyv1.RecordTicketEventRequest {
	t.Helper()
	c := created(commonv1.Category_CATEGORY_WATER, thandi, &commonv1.ReporterPreferences{Language: lang})
	next := func(kind notifyv1.EventKind, to commonv1.TicketStatus) *notifyv1.RecordTicketEventRequest {
		e := event(c.GetTicketId(), kind, commonv1.Category_CATEGORY_WATER)
		e.ToStatus, e.TeamId, e.TeamName = to, teamWater, "Ward 57 Water"
		return e
	}
	evs := []*notifyv1.RecordTicketEventRequest{c,
		next(notifyv1.EventKind_EVENT_KIND_ASSIGNED, commonv1.TicketStatus_TICKET_STATUS_OPEN),
		next(notifyv1.EventKind_EVENT_KIND_ACKNOWLEDGED, commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS),
		next(notifyv1.EventKind_EVENT_KIND_RESOLVED, commonv1.TicketStatus_TICKET_STATUS_RESOLVED)}
	for _, e := range evs {
		h.record(t, e)
	}
	return evs
}

// Teams of the tests.
var (
	teamWater     = "0b9d2c1e-1f7a-4a3e-9a0c-5d1b2e3f4a01"
	teamEscalated = "0b9d2c1e-1f7a-4a3e-9a0c-5d1b2e3f4a02"
	teamSAPS      = "0b9d2c1e-1f7a-4a3e-9a0c-5d1b2e3f4a03"
)

// staffed gives h the water team (manager mgr-water, escalating to a team
// managed by mgr-escalated), a SAPS team, their channels and contacts.
func staffed(t *testing.T, h *harness) {
	t.Helper()
	h.teams.add("CPT", domain.Team{ID: teamWater, Name: "Ward 57 Water", ManagerID: "mgr-water", EscalationTeamID: teamEscalated})
	h.teams.add("CPT", domain.Team{ID: teamEscalated, Name: "Water Operations", ManagerID: "mgr-escalated"})
	h.teams.add("CPT", domain.Team{ID: teamSAPS, Name: "Secret SAPS Unit Name", IsSAPS: true, ManagerID: "mgr-saps"})
	for _, c := range []struct{ user, email string }{{"mgr-water", "water@cpt.example.org"}, {"mgr-escalated", "ops@cpt.example.org"},
		{"mgr-saps", "saps@cpt.example.org"}, {"person-1", "person1@cpt.example.org"}} {
		_, err := h.public.SetStaffContact(admin(t, "CPT"), &notifyv1.SetStaffContactRequest{UserId: c.user,
			Contact: &notifyv1.StaffContact{Email: c.email, Language: commonv1.Language_LANGUAGE_EN}})
		require.NoError(t, err)
	}
	for _, team := range []string{teamWater, teamSAPS} {
		_, err := h.public.SetTeamChannel(admin(t, "CPT"), &notifyv1.SetTeamChannelRequest{TeamId: team, Channel: &notifyv1.TeamChannel{
			Emails: []string{"team-" + team[len(team)-2:] + "@cpt.example.org"}, WebhookUrl: "https://ops.example.org/hook/" + team[len(team)-2:],
			WebhookSecret: strings.Repeat("s", 40)}})
		require.NoError(t, err)
	}
}

func TestAReporterHearsOfEachEventOncePerChannelInTheirLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staffed(t, h)
	h.work(t)
	evs := follow(t, h, commonv1.Language_LANGUAGE_AF)
	h.settle(t)

	for _, ch := range []domain.Channel{domain.ChannelEmail, domain.ChannelSMS} {
		var toThandi []domain.Outgoing
		for _, o := range h.sent.on(ch) {
			if o.To[0] == thandi.GetEmail() || o.To[0] == thandi.GetPhone() {
				toThandi = append(toThandi, o)
			}
		}
		require.Len(t, toThandi, 4, "%s: one per event (created, assigned, acknowledged, resolved)", ch)
		// Messages go out concurrently, so the created event's message is
		// found by its words, not by its place in the order they were sent.
		var created []domain.Outgoing
		for _, o := range toThandi {
			require.Equal(t, domain.LangAF, o.Language)
			if strings.Contains(o.Body, "Ons het u verslag ontvang") {
				created = append(created, o)
			}
		}
		require.Len(t, created, 1, "%s: the created event's message, in Afrikaans", ch)
		require.Contains(t, created[0].Body, "CPT-2026-000123")
		if ch == domain.ChannelEmail {
			require.Contains(t, created[0].Body, "Hou op met hierdie e-posse: "+publicURL+"/notify/unsubscribe?")
			require.NotEmpty(t, created[0].Unsubscribe)
		} else {
			require.Contains(t, created[0].Body, "Antwoord STOP")
		}
	}
	// The team hears of the assignment on its email and webhook, the
	// person assigned nothing (none was).
	require.Len(t, h.sent.on(domain.ChannelWebhook), 1)
	hook := h.sent.on(domain.ChannelWebhook)[0]
	require.Contains(t, string(hook.Payload), `"event":"assigned"`)
	require.Contains(t, string(hook.Payload), `"category":"water"`)

	got, err := h.public.ListTicketMessages(agent(t, "CPT"), &notifyv1.ListTicketMessagesRequest{TicketId: evs[0].GetTicketId()})
	require.NoError(t, err)
	require.Len(t, got.GetMessages(), 4*2+2, "4 events to the reporter on 2 channels, and the team's email and webhook")
	for _, m := range got.GetMessages() {
		require.Contains(t, []notifyv1.MessageState{notifyv1.MessageState_MESSAGE_STATE_SENT, notifyv1.MessageState_MESSAGE_STATE_DELIVERED}, m.GetState(), "%v", m)
		require.Equal(t, int32(1), m.GetAttempts())
	}
}

func TestAFloodOfEventsMakesOneMessagePerEventRecipientAndChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := created(commonv1.Category_CATEGORY_ROADS, thandi, nil)
	h.record(t, c)
	const events, repeats = 40, 5
	var evs []*notifyv1.RecordTicketEventRequest
	for range events - 1 {
		e := event(c.GetTicketId(), notifyv1.EventKind_EVENT_KIND_STATUS_CHANGED, commonv1.Category_CATEGORY_ROADS)
		e.ToStatus = commonv1.TicketStatus_TICKET_STATUS_AWAITING_CITIZEN
		evs = append(evs, e)
	}
	evs = append(evs, c)
	var wg sync.WaitGroup
	for range repeats {
		for _, e := range evs {
			wg.Go(func() {
				_, err := h.internal.RecordTicketEvent(serviceFor(t, "CPT"), proto.Clone(e).(*notifyv1.RecordTicketEventRequest))
				require.NoError(t, err)
			})
		}
	}
	wg.Wait()
	// Two replicas work the same queue.
	other := harnessOn(t, h.pool, h.sent)
	h.work(t)
	other.work(t)
	h.settle(t)
	require.Equal(t, events, h.count(t, `SELECT count(*) FROM notify.events`))
	require.Equal(t, events*2, h.count(t, `SELECT count(*) FROM notify.messages`), "sms and email for each event")
	require.Len(t, h.sent.all(), events*2, "each sent once")
	seen := map[string]bool{}
	for _, o := range h.sent.all() {
		require.False(t, seen[o.MessageID], "message %s sent twice", o.MessageID)
		seen[o.MessageID] = true
	}
}

func TestBatchRecordTicketEventsRecordsEachLikeItsOwnCallInOneTransaction(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	svc := serviceFor(t, "CPT")
	a := created(commonv1.Category_CATEGORY_ROADS, thandi, nil)
	b := created(commonv1.Category_CATEGORY_WATER, &notifyv1.ReporterContact{Phone: "+27829990001"}, nil)
	moved := event(a.GetTicketId(), notifyv1.EventKind_EVENT_KIND_STATUS_CHANGED, commonv1.Category_CATEGORY_ROADS)
	moved.ToStatus = commonv1.TicketStatus_TICKET_STATUS_AWAITING_CITIZEN

	// a's status change comes before its creation, and b's creation is in
	// the batch twice: each is recorded as it would be alone, once.
	res, err := h.internal.BatchRecordTicketEvents(svc, &notifyv1.BatchRecordTicketEventsRequest{Tenant: "CPT",
		Requests: []*notifyv1.RecordTicketEventRequest{moved, b, a, proto.Clone(b).(*notifyv1.RecordTicketEventRequest)}})
	require.NoError(t, err)
	require.Equal(t, []bool{true, true, true, false}, res.GetApplied())
	require.Equal(t, 3, h.count(t, `SELECT count(*) FROM notify.events`))
	require.Equal(t, 2, h.count(t, `SELECT count(*) FROM notify.reporters`))
	require.Equal(t, 3, h.count(t, `SELECT count(*) FROM notify.river_job WHERE kind = 'notify.plan_event'`), "a plan for each new event")
	h.work(t)
	h.settle(t)
	require.Len(t, h.sent.on(domain.ChannelSMS), 3, "thandi hears of her two events, b's reporter of one")

	t.Run("a batch with an item that fails records nothing", func(t *testing.T) {
		c := created(commonv1.Category_CATEGORY_WATER, thandi, nil)
		bad := created(commonv1.Category_CATEGORY_WATER, thandi, nil)
		bad.Kind = notifyv1.EventKind(99)
		_, err := h.internal.BatchRecordTicketEvents(svc, &notifyv1.BatchRecordTicketEventsRequest{Tenant: "CPT",
			Requests: []*notifyv1.RecordTicketEventRequest{c, bad}})
		requireField(t, err, "requests[1].kind")
		other := created(commonv1.Category_CATEGORY_WATER, thandi, nil)
		other.Tenant = "JHB"
		_, err = h.internal.BatchRecordTicketEvents(svc, &notifyv1.BatchRecordTicketEventsRequest{Tenant: "CPT",
			Requests: []*notifyv1.RecordTicketEventRequest{c, other}})
		requireField(t, err, "requests[1].tenant")
		_, err = h.internal.BatchRecordTicketEvents(svc, &notifyv1.BatchRecordTicketEventsRequest{Tenant: "CPT"})
		requireField(t, err, "requests")
		require.Equal(t, 3, h.count(t, `SELECT count(*) FROM notify.events`))
	})
}

func TestAProviderDownForLongLosesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// The SMS provider times out six times in a row; a worker is killed
	// (stopped) halfway and another takes over.
	for range 6 {
		h.sent.fail(domain.ChannelSMS, domain.Temporary("twilio: context deadline exceeded"))
	}
	first := h.work(t)
	c := created(commonv1.Category_CATEGORY_WATER, &notifyv1.ReporterContact{Phone: "+27829990000"}, nil)
	h.record(t, c)
	require.Eventually(t, func() bool {
		return h.count(t, `SELECT coalesce(max(attempts), 0) FROM notify.messages WHERE error LIKE '%deadline%'`) >= 3
	}, 30*time.Second, 20*time.Millisecond)
	require.NoError(t, first.Stop(context.Background()))
	require.Empty(t, h.sent.on(domain.ChannelSMS))
	h.work(t)
	h.settle(t)
	sms := h.sent.on(domain.ChannelSMS)
	require.Len(t, sms, 1, "sent once, when the provider answered")
	var state string
	var attempts int
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT state, attempts FROM notify.messages WHERE channel = 'sms'`).Scan(&state, &attempts))
	require.Equal(t, "sent", state)
	require.Equal(t, 7, attempts)
	var maxAttempts int
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT max(max_attempts) FROM notify.river_job`).Scan(&maxAttempts))
	require.GreaterOrEqual(t, time.Duration(maxAttempts)*30*time.Second, 24*time.Hour,
		"the queue keeps trying far longer than an hour at its longest backoff")
}

func TestAPermanentRefusalFailsTheMessageWithoutRetries(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.sent.fail(domain.ChannelSMS, domain.Permanent("twilio: HTTP 400: {\"code\":21211,\"message\":\"Invalid 'To' Phone Number\"}"))
	h.work(t)
	h.record(t, created(commonv1.Category_CATEGORY_WATER, &notifyv1.ReporterContact{Phone: "+27829990001"}, nil))
	h.settle(t)
	var state, reason string
	var attempts int
	require.NoError(t, h.pool.QueryRow(context.Background(), `SELECT state, error, attempts FROM notify.messages`).Scan(&state, &reason, &attempts))
	require.Equal(t, "failed", state)
	require.Contains(t, reason, "21211")
	require.Equal(t, 1, attempts)
	require.Empty(t, h.sent.all())
}

func TestStaffHearOfAssignmentsWarningsAndBreaches(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staffed(t, h)
	h.work(t)
	c := created(commonv1.Category_CATEGORY_WATER, nil, nil)
	h.record(t, c)
	ticket := c.GetTicketId()
	send := func(kind notifyv1.EventKind, team, person string) {
		e := event(ticket, kind, commonv1.Category_CATEGORY_WATER)
		e.TeamId, e.PersonId, e.Clock, e.EscalationLevel = team, person, notifyv1.SlaClock_SLA_CLOCK_RESOLUTION, 1
		h.record(t, e)
		h.settle(t)
	}
	to := func(addr string) int {
		n := 0
		for _, o := range h.sent.on(domain.ChannelEmail) {
			for _, a := range o.To {
				if a == addr {
					n++
				}
			}
		}
		return n
	}
	send(notifyv1.EventKind_EVENT_KIND_ASSIGNED, teamWater, "person-1")
	require.Equal(t, 1, to("team-01@cpt.example.org"), "the team's inbox")
	require.Equal(t, 1, to("person1@cpt.example.org"), "the person assigned")
	require.Len(t, h.sent.on(domain.ChannelWebhook), 1, "the team's webhook")
	send(notifyv1.EventKind_EVENT_KIND_SLA_WARNING, teamWater, "")
	require.Equal(t, 1, to("water@cpt.example.org"), "the manager at the warning")
	require.Equal(t, 0, to("ops@cpt.example.org"))
	send(notifyv1.EventKind_EVENT_KIND_SLA_BREACH, teamWater, "")
	require.Equal(t, 2, to("water@cpt.example.org"), "the manager at the breach")
	require.Equal(t, 1, to("ops@cpt.example.org"), "the escalation target at the breach")
	send(notifyv1.EventKind_EVENT_KIND_ESCALATED, teamEscalated, "")
	require.Equal(t, 2, to("ops@cpt.example.org"), "the new team's manager on escalation")
	// A staff member without a contact is recorded, not sent to.
	send(notifyv1.EventKind_EVENT_KIND_ASSIGNED, teamWater, "nobody")
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM notify.messages WHERE recipient_id = 'nobody' AND state = 'suppressed'`))
}

func TestMessagesOutsideBusinessHoursWaitAndGoAsOneDigest(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staffed(t, h)
	_, err := h.public.SetTeamChannel(admin(t, "CPT"), &notifyv1.SetTeamChannelRequest{TeamId: teamWater,
		Channel: &notifyv1.TeamChannel{Emails: []string{"team-01@cpt.example.org"}, BusinessHoursOnly: true}})
	require.NoError(t, err)
	// Weekdays 08:00-16:30; a Tuesday midnight in Johannesburg.
	var ivs []domain.Interval
	for d := time.Monday; d <= time.Friday; d++ {
		ivs = append(ivs, domain.Interval{Weekday: d, Start: 8 * 60, End: 16*60 + 30})
	}
	h.cal.cal = domain.Calendar{Location: domain.Johannesburg, Intervals: ivs}
	midnight := time.Date(2026, 3, 3, 0, 5, 0, 0, domain.Johannesburg)
	h.clock.to(midnight)
	h.work(t)
	for _, kind := range []notifyv1.EventKind{notifyv1.EventKind_EVENT_KIND_SLA_WARNING, notifyv1.EventKind_EVENT_KIND_SLA_BREACH} {
		e := event(uuid.NewString(), kind, commonv1.Category_CATEGORY_WATER)
		e.TeamId, e.Clock = teamWater, notifyv1.SlaClock_SLA_CLOCK_RESPONSE
		h.record(t, e)
	}
	h.settle(t)
	require.Len(t, h.sent.all(), 1, "at midnight only the escalation target, whose team's channel keeps no hours")
	require.Equal(t, "ops@cpt.example.org", h.sent.all()[0].To[0])
	require.Equal(t, 2, h.count(t, `SELECT count(*) FROM notify.messages WHERE state = 'waiting' AND not_before = $1`,
		time.Date(2026, 3, 3, 8, 0, 0, 0, domain.Johannesburg)), "the manager's two wait for 08:00")
	n, err := h.app.ReleaseWaiting(context.Background())
	require.NoError(t, err)
	require.Zero(t, n, "not before 08:00")
	h.clock.to(time.Date(2026, 3, 3, 8, 0, 1, 0, domain.Johannesburg))
	n, err = h.app.ReleaseWaiting(context.Background())
	require.NoError(t, err)
	require.Equal(t, 2, n)
	h.settle(t)
	var toManager []domain.Outgoing
	for _, o := range h.sent.on(domain.ChannelEmail) {
		if o.To[0] == "water@cpt.example.org" {
			toManager = append(toManager, o)
		}
	}
	require.Len(t, toManager, 1, "one digest for the manager")
	require.Contains(t, toManager[0].Subject, "2 updates")
	require.Contains(t, toManager[0].Body, "close to its response deadline")
	require.Contains(t, toManager[0].Body, "missed its response deadline")
	require.Equal(t, 2, h.count(t, `SELECT count(*) FROM notify.messages WHERE state = 'digested' AND digest_id IS NOT NULL`))
}

func TestAReporterHearsNothingAtNightUnlessTheMunicipalityAllows(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.work(t)
	h.clock.to(time.Date(2026, 3, 3, 21, 30, 0, 0, domain.Johannesburg))
	c := created(commonv1.Category_CATEGORY_WATER, &notifyv1.ReporterContact{Phone: "+27829990002"}, nil)
	h.record(t, c)
	e := event(c.GetTicketId(), notifyv1.EventKind_EVENT_KIND_ACKNOWLEDGED, commonv1.Category_CATEGORY_WATER)
	h.record(t, e)
	h.settle(t)
	require.Empty(t, h.sent.all())
	require.Equal(t, 2, h.count(t, `SELECT count(*) FROM notify.messages WHERE state = 'waiting' AND not_before = $1`,
		time.Date(2026, 3, 4, 7, 0, 0, 0, domain.Johannesburg)))
	h.clock.to(time.Date(2026, 3, 4, 7, 0, 0, 0, domain.Johannesburg))
	_, err := h.app.ReleaseWaiting(context.Background())
	require.NoError(t, err)
	h.settle(t)
	require.Len(t, h.sent.all(), 1, "one SMS in the morning for both updates")
	require.Contains(t, h.sent.all()[0].Body, "We received your report")
	require.Contains(t, h.sent.all()[0].Body, "Work has started")

	_, err = h.public.UpdateNotifySettings(admin(t, "CPT"), &notifyv1.UpdateNotifySettingsRequest{
		Settings: &notifyv1.NotifySettings{ReporterMessagesAtNight: true}})
	require.NoError(t, err)
	h.clock.to(time.Date(2026, 3, 4, 23, 0, 0, 0, domain.Johannesburg))
	h.record(t, created(commonv1.Category_CATEGORY_WATER, &notifyv1.ReporterContact{Phone: "+27829990003"}, nil))
	h.settle(t)
	require.Len(t, h.sent.all(), 2, "the municipality allows night messages")
}

func TestStaffAreToldAtOnceWhenAnEventOutrunsTheTicketsCreation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staffed(t, h)
	h.work(t)
	c := created(commonv1.Category_CATEGORY_WATER, &notifyv1.ReporterContact{Email: "late@example.org"}, nil)
	assigned := event(c.GetTicketId(), notifyv1.EventKind_EVENT_KIND_ASSIGNED, commonv1.Category_CATEGORY_WATER)
	assigned.TeamId = teamWater
	h.record(t, assigned)
	require.Eventually(t, func() bool { return len(h.sent.on(domain.ChannelWebhook)) == 1 }, 20*time.Second, 20*time.Millisecond,
		"the team hears of the assignment before the ticket's creation arrives")
	require.Zero(t, h.count(t, `SELECT count(*) FROM notify.messages WHERE recipient = 'reporter'`))
	h.record(t, c)
	h.settle(t)
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM notify.messages WHERE recipient = 'reporter' AND event_id = $1`, assigned.GetEventId()),
		"the reporter hears of the assignment once their contact is known")
	require.Len(t, h.sent.on(domain.ChannelWebhook), 1, "the team once")
}

// TestPlanEventsPlansEachLikeItsOwnCallInSharedTransactions: the planning
// worker plans the events it gathers together; each gets the messages it
// would alone, once, and an event that must wait for its ticket's
// creation fails the batch only after the others' messages are recorded.
func TestPlanEventsPlansEachLikeItsOwnCallInSharedTransactions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	c1, c2 := created(commonv1.Category_CATEGORY_WATER, thandi, nil), created(commonv1.Category_CATEGORY_ROADS, thandi, nil)
	h.record(t, c1)
	h.record(t, c2)
	moved := event(c1.GetTicketId(), notifyv1.EventKind_EVENT_KIND_STATUS_CHANGED, commonv1.Category_CATEGORY_WATER)
	moved.ToStatus = commonv1.TicketStatus_TICKET_STATUS_AWAITING_CITIZEN
	h.record(t, moved)
	ids := []string{c1.GetEventId(), c2.GetEventId(), moved.GetEventId()}
	require.NoError(t, h.app.PlanEvents(ctx, "CPT", ids))
	for _, id := range ids {
		require.Equal(t, 2, h.count(t, `SELECT count(*) FROM notify.messages WHERE event_id = $1`, id), "sms and email for %s", id)
	}
	require.NoError(t, h.app.PlanEvents(ctx, "CPT", ids), "a batch run again")
	require.NoError(t, h.app.PlanEvent(ctx, "CPT", moved.GetEventId()), "an event of it run alone")
	require.Equal(t, 6, h.count(t, `SELECT count(*) FROM notify.messages`), "adds nothing")

	// A change of a ticket whose creation has not arrived waits for its
	// reporter; the batch it came in fails, but the other event's messages
	// are kept, and planning it alone later adds nothing.
	c3 := created(commonv1.Category_CATEGORY_WATER, thandi, nil)
	h.record(t, c3)
	early := event(uuid.NewString(), notifyv1.EventKind_EVENT_KIND_STATUS_CHANGED, commonv1.Category_CATEGORY_WATER)
	early.ToStatus = commonv1.TicketStatus_TICKET_STATUS_AWAITING_CITIZEN
	h.record(t, early)
	err := h.app.PlanEvents(ctx, "CPT", []string{c3.GetEventId(), early.GetEventId()})
	require.ErrorIs(t, err, domain.ErrNotYet)
	require.Equal(t, 2, h.count(t, `SELECT count(*) FROM notify.messages WHERE event_id = $1`, c3.GetEventId()))
	require.NoError(t, h.app.PlanEvent(ctx, "CPT", c3.GetEventId()))
	require.Equal(t, 2, h.count(t, `SELECT count(*) FROM notify.messages WHERE event_id = $1`, c3.GetEventId()))
	require.ErrorIs(t, h.app.PlanEvent(ctx, "CPT", early.GetEventId()), domain.ErrNotYet, "alone, it still waits")

	t.Run("a batch asks routing once for each team its events name", func(t *testing.T) {
		h.teams.add("CPT", domain.Team{ID: teamWater, Name: "Ward 57 Water", ManagerID: "mgr-water"})
		var ids []string
		for _, team := range []string{teamWater, teamWater, uuid.NewString(), teamWater} {
			c := created(commonv1.Category_CATEGORY_WATER, thandi, nil)
			h.record(t, c)
			assigned := event(c.GetTicketId(), notifyv1.EventKind_EVENT_KIND_ASSIGNED, commonv1.Category_CATEGORY_WATER)
			assigned.TeamId = team
			h.record(t, assigned)
			ids = append(ids, assigned.GetEventId())
		}
		h.teams.mu.Lock()
		before := h.teams.calls
		h.teams.mu.Unlock()
		require.NoError(t, h.app.PlanEvents(ctx, "CPT", ids))
		h.teams.mu.Lock()
		calls := h.teams.calls - before
		h.teams.mu.Unlock()
		require.Equal(t, 2, calls, "the water team once, the team routing no longer has once")
		for _, id := range ids {
			require.Equal(t, 2, h.count(t, `SELECT count(*) FROM notify.messages WHERE event_id = $1 AND recipient = 'reporter'`, id),
				"each reporter hears of the assignment as alone")
		}
	})
}
