package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// notifiable says, for every kind of history entry, which entries the
// notification service must hear of: all of a kind, or (notes) only
// public ones written by staff.
var notifiable = map[string]func(detail, actor string) bool{
	"created":        func(string, string) bool { return true },
	"status_changed": func(string, string) bool { return true },
	"note_added":     func(detail, actor string) bool { return detail == "public" && actor != "c1" },
	"assigned":       func(string, string) bool { return true },
	"escalated":      func(string, string) bool { return true },
	"sla_warning":    func(string, string) bool { return true },
	"sla_breach":     func(string, string) bool { return true },
	"deadlines_set":  func(string, string) bool { return false }, // the SLA events carry deadlines
}

// TestEveryNotifiableHistoryEntryIsRecordedForNotifyWithIt walks every
// path that appends to a ticket's history (create, each kind of status
// change, notes of each visibility and author, assignments and
// escalations, deadlines, SLA warnings and breaches), on a water and a GBV
// ticket, then checks each history entry: a notifiable one has exactly one
// ticket.notify_event job with its event id, committed with it; any other
// has none. A GBV ticket's jobs carry no team name, note or contact in the
// clear.
func TestEveryNotifiableHistoryEntryIsRecordedForNotifyWithIt(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	water := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Leak"))
	gbvReq := newTicket(commonv1.Category_CATEGORY_GBV, "private")
	gbvReq.ReporterPreferences = &commonv1.ReporterPreferences{GbvSafeChannel: commonv1.ContactChannel_CONTACT_CHANNEL_SMS}
	gbv := h.create(t, citizen(t, "CPT", "c1"), gbvReq)
	for _, tk := range []struct {
		id    string
		staff context.Context
	}{{water.GetId(), agent(t, "CPT")}, {gbv.GetId(), saps(t, "CPT")}} {
		for _, to := range []commonv1.TicketStatus{commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, commonv1.TicketStatus_TICKET_STATUS_AWAITING_CITIZEN,
			commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, commonv1.TicketStatus_TICKET_STATUS_RESOLVED, commonv1.TicketStatus_TICKET_STATUS_CLOSED} {
			_, err := h.public.UpdateTicketStatus(tk.staff, &ticketv1.UpdateTicketStatusRequest{Id: tk.id, Status: to, Reason: "work"})
			require.NoError(t, err)
		}
		for _, v := range []ticketv1.NoteVisibility{ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC, ticketv1.NoteVisibility_NOTE_VISIBILITY_INTERNAL} {
			_, err := h.public.AddTicketNote(tk.staff, &ticketv1.AddTicketNoteRequest{TicketId: tk.id, Visibility: v, Body: "Secret note text"})
			require.NoError(t, err)
		}
		for i, reason := range []commonv1.AssignmentReason{commonv1.AssignmentReason_ASSIGNMENT_REASON_MANUAL_OVERRIDE, commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH} {
			_, err := h.internal.RecordAssignment(service(t), &ticketv1.RecordAssignmentRequest{Tenant: "CPT", TicketId: tk.id,
				AssignmentId: uuid.NewString(), TeamId: uuid.NewString(), TeamName: "Secret Team Name", PersonId: "p1", Reason: reason,
				EscalationLevel: int32(i), AssignTime: timestamppb.New(time.Now().Add(time.Duration(i) * time.Second))})
			require.NoError(t, err)
		}
		_, err := h.internal.RecordDeadlines(service(t), &ticketv1.RecordDeadlinesRequest{Tenant: "CPT", TicketId: tk.id, Revision: 5,
			ResolutionDeadline: timestamppb.New(time.Now().Add(time.Hour))})
		require.NoError(t, err)
		for _, k := range []ticketv1.SlaEventKind{ticketv1.SlaEventKind_SLA_EVENT_KIND_WARNING, ticketv1.SlaEventKind_SLA_EVENT_KIND_BREACH} {
			_, err := h.internal.RecordClockEvent(service(t), &ticketv1.RecordClockEventRequest{Tenant: "CPT", TicketId: tk.id,
				EventId: uuid.NewString(), Kind: k, Clock: ticketv1.SlaClock_SLA_CLOCK_RESOLUTION, Cycle: 1, Step: 1, EscalationLevel: 1,
				Deadline: timestamppb.New(time.Now())})
			require.NoError(t, err)
		}
	}
	// A citizen's public note, on their own water ticket, tells no one.
	_, err := h.public.AddTicketNote(citizen(t, "CPT", "c1"), &ticketv1.AddTicketNoteRequest{TicketId: water.GetId(),
		Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC, Body: "thanks"})
	require.NoError(t, err)

	rows, err := h.pool.Query(context.Background(), `SELECT h.kind, h.detail, h.actor, h.gbv, h.event_id::text,
			(SELECT count(*) FROM ticket.river_job j WHERE j.kind = 'ticket.notify_event' AND j.args->>'event_id' = h.event_id::text)
		FROM ticket.history h ORDER BY h.ticket_id, h.sequence`)
	require.NoError(t, err)
	defer rows.Close()
	seen, notified := map[string]int{}, 0
	for rows.Next() {
		var (
			kind, detail, actor, event string
			isGBV                      bool
			jobs                       int
		)
		require.NoError(t, rows.Scan(&kind, &detail, &actor, &isGBV, &event, &jobs))
		rule, ok := notifiable[kind]
		require.True(t, ok, "history kind %q is not classified in notifiable", kind)
		if isGBV && kind == "note_added" {
			// A GBV entry's detail is sealed; its notes were added public
			// first, internal second.
			detail = map[int]string{0: "public", 1: "internal"}[seen["gbv note"]]
			seen["gbv note"]++
		}
		want := 0
		if rule(detail, actor) {
			want = 1
		}
		require.Equal(t, want, jobs, "history %s (detail %q, actor %s, gbv %v): notify jobs", kind, detail, actor, isGBV)
		seen[kind]++
		notified += jobs
	}
	require.NoError(t, rows.Err())
	for kind := range notifiable {
		require.NotZero(t, seen[kind], "the paths exercise history kind %s", kind)
	}
	require.Equal(t, 2*11, notified, "each ticket: created, 5 status changes, a public note, 2 assignments, 2 clock events")
	require.Equal(t, 0, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.notify_event' AND args->>'category' = 'gbv'
		AND (args::text LIKE '%Secret%' OR args::text LIKE '%27821234567%' OR args::text LIKE '%thandi%')`),
		"no GBV notice carries the team's name, a note or the contact in the clear")
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.notify_event' AND args->>'category' = 'gbv'
		AND args->>'event' = 'created' AND args->'contact' IS NOT NULL AND args->'preferences'->>'gbv_safe_channel' = 'sms'`),
		"the GBV created notice carries the sealed contact and the opt-in")
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.notify_event' AND args->>'category' = 'water'
		AND args->>'event' = 'note_public' AND args->>'note' = 'Secret note text'`), "a water ticket's public note is told")
}
