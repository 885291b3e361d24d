package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

func TestFollowersHearOfTheParentsStatusOnTheirOwnChannelsOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.to(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)) // 10:00 in Johannesburg
	h.work(t)
	water := commonv1.Category_CATEGORY_WATER
	parent := created(water, thandi, nil)
	// A linked duplicate's reporter, on SMS in isiZulu.
	sipho := &notifyv1.ReporterContact{Name: "Sipho", Phone: "+27825550111"}
	child := created(water, sipho, &commonv1.ReporterPreferences{Language: commonv1.Language_LANGUAGE_ZU})
	// A follower who opted out of email, the only channel they gave.
	lerato := &notifyv1.ReporterContact{Name: "Lerato", Email: "lerato@example.org"}
	optedOut := created(water, lerato, nil)
	// Thandi again, on a duplicate of her own report: told once, as reporter.
	again := created(water, thandi, nil)
	// A GBV report is never anyone's follower.
	survivor := created(commonv1.Category_CATEGORY_GBV, &notifyv1.ReporterContact{Phone: "+27825550122"},
		&commonv1.ReporterPreferences{GbvSafeChannel: commonv1.ContactChannel_CONTACT_CHANNEL_SMS})
	for _, e := range []*notifyv1.RecordTicketEventRequest{parent, child, optedOut, again, survivor} {
		h.record(t, e)
	}
	h.settle(t)
	_, err := h.pool.Exec(context.Background(), `INSERT INTO notify.opt_outs (tenant, channel, address_hash, source, create_time)
		VALUES ('CPT', 'email', $1, 'test', now())`, h.links.AddressHash("CPT", domain.ChannelEmail, lerato.GetEmail()))
	require.NoError(t, err)
	before := map[domain.Channel]int{domain.ChannelSMS: len(h.sent.on(domain.ChannelSMS)), domain.ChannelEmail: len(h.sent.on(domain.ChannelEmail))}
	to := func(ch domain.Channel, addr string) []domain.Outgoing {
		var out []domain.Outgoing
		for _, o := range h.sent.on(ch)[before[ch]:] {
			if o.To[0] == addr {
				out = append(out, o)
			}
		}
		return out
	}
	followers := []string{child.GetTicketId(), optedOut.GetTicketId(), again.GetTicketId(), survivor.GetTicketId(), parent.GetTicketId()}

	resolved := event(parent.GetTicketId(), notifyv1.EventKind_EVENT_KIND_RESOLVED, water)
	resolved.ToStatus, resolved.FollowerTicketIds = commonv1.TicketStatus_TICKET_STATUS_RESOLVED, followers
	h.record(t, resolved)
	h.record(t, resolved) // redelivered: nothing twice
	// Followers hear of status changes and notes, not of assignments.
	assigned := event(parent.GetTicketId(), notifyv1.EventKind_EVENT_KIND_ASSIGNED, water)
	assigned.FollowerTicketIds = followers
	h.record(t, assigned)
	h.settle(t)

	got := to(domain.ChannelSMS, sipho.GetPhone())
	require.Len(t, got, 1, "the linked reporter hears of the resolution once")
	require.Equal(t, domain.LangZU, got[0].Language, "in their own language")
	require.Contains(t, got[0].Body, "CPT-2026-000123")
	require.Len(t, to(domain.ChannelSMS, thandi.GetPhone()), 2, "the reporter: resolved and assigned, once each, though she follows too")
	require.Empty(t, to(domain.ChannelSMS, "+27825550122"), "a GBV reporter follows nothing")
	require.Empty(t, to(domain.ChannelEmail, lerato.GetEmail()), "an opted-out follower hears nothing")
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM notify.messages WHERE recipient = 'follower' AND recipient_id = $1
		AND state = 'suppressed'`, optedOut.GetTicketId()))
	require.Equal(t, 2, h.count(t, `SELECT count(*) FROM notify.messages WHERE recipient = 'follower' AND event_id = $1`,
		resolved.GetEventId()), "one message per follower and channel: Sipho's SMS and Lerato's suppressed email")

	msgs, err := h.public.ListTicketMessages(agent(t, "CPT"), &notifyv1.ListTicketMessagesRequest{TicketId: parent.GetTicketId()})
	require.NoError(t, err)
	var kinds []notifyv1.RecipientKind
	for _, m := range msgs.GetMessages() {
		if m.GetRecipientId() == child.GetTicketId() {
			kinds = append(kinds, m.GetRecipientKind())
		}
	}
	require.Equal(t, []notifyv1.RecipientKind{notifyv1.RecipientKind_RECIPIENT_KIND_FOLLOWER}, kinds)

	// Unlinked, Sipho's report is no longer among the followers: he hears
	// nothing more.
	reopened := event(parent.GetTicketId(), notifyv1.EventKind_EVENT_KIND_STATUS_CHANGED, water)
	reopened.ToStatus, reopened.FollowerTicketIds = commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, []string{optedOut.GetTicketId()}
	h.record(t, reopened)
	h.settle(t)
	require.Len(t, to(domain.ChannelSMS, sipho.GetPhone()), 1)
	require.Len(t, to(domain.ChannelSMS, thandi.GetPhone()), 3)

	// A GBV ticket's followers are dropped as the event is recorded.
	gbvEvent := event(survivor.GetTicketId(), notifyv1.EventKind_EVENT_KIND_RESOLVED, commonv1.Category_CATEGORY_GBV)
	gbvEvent.ToStatus, gbvEvent.FollowerTicketIds = commonv1.TicketStatus_TICKET_STATUS_RESOLVED, []string{child.GetTicketId()}
	h.record(t, gbvEvent)
	h.settle(t)
	require.Len(t, to(domain.ChannelSMS, sipho.GetPhone()), 1)
	require.Zero(t, h.count(t, `SELECT count(*) FROM notify.events WHERE gbv AND followers <> '{}'`))

	bad := event(parent.GetTicketId(), notifyv1.EventKind_EVENT_KIND_STATUS_CHANGED, water)
	bad.FollowerTicketIds = []string{"not-a-uuid"}
	_, err = h.internal.RecordTicketEvent(serviceFor(t, "CPT"), bad)
	requireField(t, err, "follower_ticket_ids")
}
