package server_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

func TestSLAClockEventsAreRecordedInHistoryOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tk := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Leak"))
	gbv := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_GBV, "private"))
	svc := service(t)
	deadline := timestamppb.New(time.Now().Add(time.Hour))
	event := func(ticket string, kind ticketv1.SlaEventKind) *ticketv1.RecordClockEventRequest {
		return &ticketv1.RecordClockEventRequest{Tenant: "CPT", TicketId: ticket, EventId: uuid.NewString(), Kind: kind,
			Clock: ticketv1.SlaClock_SLA_CLOCK_RESOLUTION, Cycle: 1, Step: 1, Deadline: deadline}
	}

	t.Run("a warning is one history entry however often it is delivered", func(t *testing.T) {
		req := event(tk.GetId(), ticketv1.SlaEventKind_SLA_EVENT_KIND_WARNING)
		for i, want := range []bool{true, false} {
			r, err := h.internal.RecordClockEvent(svc, req)
			require.NoError(t, err)
			require.Equal(t, want, r.GetApplied(), "delivery %d", i+1)
		}
		hist, err := h.public.GetTicketHistory(agent(t, "CPT"), &ticketv1.GetTicketHistoryRequest{TicketId: tk.GetId()})
		require.NoError(t, err)
		last := hist.GetEntries()[len(hist.GetEntries())-1]
		require.Equal(t, "sla_warning", last.GetKind())
		require.Equal(t, "system", last.GetActor())
		require.Equal(t, "resolution", last.GetReason())
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.history WHERE ticket_id = $1 AND kind = 'sla_warning'`, tk.GetId()))
	})
	t.Run("a breach of a GBV ticket is recorded without content", func(t *testing.T) {
		req := event(gbv.GetId(), ticketv1.SlaEventKind_SLA_EVENT_KIND_BREACH)
		req.EscalationLevel = 1
		r, err := h.internal.RecordClockEvent(svc, req)
		require.NoError(t, err)
		require.True(t, r.GetApplied())
		require.Equal(t, 0, h.count(t, `SELECT count(*) FROM ticket.history WHERE ticket_id = $1 AND kind = 'sla_breach'
			AND (detail LIKE '%private%' OR NOT gbv)`, gbv.GetId()))
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.history WHERE ticket_id = $1 AND kind = 'sla_breach'`, gbv.GetId()))
	})
	t.Run("bad input is refused by field and changes nothing", func(t *testing.T) {
		before := h.count(t, `SELECT count(*) FROM ticket.history`)
		tests := []struct {
			name  string
			edit  func(*ticketv1.RecordClockEventRequest)
			field string
		}{
			{"an event id that is not a UUID", func(r *ticketv1.RecordClockEventRequest) { r.EventId = "x" }, "event_id"},
			{"a ticket id that is not a UUID", func(r *ticketv1.RecordClockEventRequest) { r.TicketId = "x" }, "ticket_id"},
			{"no kind", func(r *ticketv1.RecordClockEventRequest) { r.Kind = 0 }, "kind"},
			{"no clock", func(r *ticketv1.RecordClockEventRequest) { r.Clock = 9 }, "clock"},
			{"cycle zero", func(r *ticketv1.RecordClockEventRequest) { r.Cycle = 0 }, "cycle"},
			{"no deadline", func(r *ticketv1.RecordClockEventRequest) { r.Deadline = nil }, "deadline"},
			{"no tenant", func(r *ticketv1.RecordClockEventRequest) { r.Tenant = "" }, "tenant"},
		}
		for _, tt := range tests {
			req := event(tk.GetId(), ticketv1.SlaEventKind_SLA_EVENT_KIND_WARNING)
			tt.edit(req)
			_, err := h.internal.RecordClockEvent(svc, req)
			requireField(t, err, tt.field)
		}
		req := event(tk.GetId(), ticketv1.SlaEventKind_SLA_EVENT_KIND_WARNING)
		req.Tenant = "JHB"
		_, err := h.internal.RecordClockEvent(serviceFor(t, "JHB"), req)
		requireCode(t, err, codes.NotFound)
		_, err = h.internal.RecordClockEvent(svc, req)
		requireCode(t, err, codes.PermissionDenied)
		_, err = h.internal.RecordClockEvent(agent(t, "CPT"), event(tk.GetId(), ticketv1.SlaEventKind_SLA_EVENT_KIND_WARNING))
		requireCode(t, err, codes.PermissionDenied)
		require.Equal(t, before, h.count(t, `SELECT count(*) FROM ticket.history`))
	})
}
