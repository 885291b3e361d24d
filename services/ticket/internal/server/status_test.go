package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

const (
	open      = commonv1.TicketStatus_TICKET_STATUS_OPEN
	working   = commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS
	awaiting  = commonv1.TicketStatus_TICKET_STATUS_AWAITING_CITIZEN
	resolved  = commonv1.TicketStatus_TICKET_STATUS_RESOLVED
	closed    = commonv1.TicketStatus_TICKET_STATUS_CLOSED
	cancelled = commonv1.TicketStatus_TICKET_STATUS_CANCELLED
)

// pathTo lists the moves that bring a new ticket to status s.
var pathTo = map[commonv1.TicketStatus][]commonv1.TicketStatus{
	open:      nil,
	working:   {working},
	awaiting:  {working, awaiting},
	resolved:  {working, resolved},
	closed:    {working, resolved, closed},
	cancelled: {cancelled},
}

var legal = map[[2]commonv1.TicketStatus]bool{
	{open, working}: true, {open, cancelled}: true, {working, awaiting}: true, {awaiting, working}: true,
	{working, resolved}: true, {working, cancelled}: true, {resolved, closed}: true, {resolved, working}: true,
}

func TestUpdateTicketStatusFollowsTheLifeCycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff := agent(t, "CPT")
	move := func(t *testing.T, id string, to commonv1.TicketStatus) (*ticketv1.Ticket, error) {
		resp, err := h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: id, Status: to, Reason: "because"})
		return resp.GetTicket(), err
	}
	all := []commonv1.TicketStatus{open, working, awaiting, resolved, closed, cancelled}
	for _, from := range all {
		for _, to := range all {
			tk := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Leak"))
			for _, s := range pathTo[from] {
				_, err := move(t, tk.GetId(), s)
				require.NoError(t, err)
			}
			got, err := move(t, tk.GetId(), to)
			if legal[[2]commonv1.TicketStatus{from, to}] {
				require.NoError(t, err, "%s -> %s", from, to)
				require.Equal(t, to, got.GetStatus())
			} else {
				st := requireCode(t, err, codes.FailedPrecondition)
				require.Contains(t, st.Message(), "not allowed", "%s -> %s", from, to)
			}
		}
	}
	require.Equal(t, 0, h.count(t, `SELECT count(*) FROM ticket.tickets WHERE status = 'open' AND first_responded_at IS NOT NULL`))
}

func TestUpdateTicketStatusRules(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	reporter := citizen(t, "CPT", "c1")
	staff := agent(t, "CPT")

	t.Run("the first staff move out of open sets first_responded_at once and queues SLA and routing work", func(t *testing.T) {
		tk := h.create(t, reporter, newTicket(commonv1.Category_CATEGORY_WATER, "Leak"))
		r1, err := h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: tk.GetId(), Status: working})
		require.NoError(t, err)
		first := r1.GetTicket().GetFirstRespondedAt().AsTime()
		require.False(t, first.IsZero())
		_, err = h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: tk.GetId(), Status: resolved})
		require.NoError(t, err)
		r3, err := h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: tk.GetId(), Status: working, Reason: "reopened"})
		require.NoError(t, err)
		require.Equal(t, first, r3.GetTicket().GetFirstRespondedAt().AsTime())
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.sla_event'
			AND args->>'ticket_id' = $1 AND (args->>'first_response')::bool`, tk.GetId()))
		require.Equal(t, 3, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.routing_status' AND args->>'ticket_id' = $1`, tk.GetId()),
			"each change")
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.route_ticket' AND args->>'ticket_id' = $1
			AND args->'status'->>'status' = 'open' AND (args->'status'->>'sequence')::bigint = 1`, tk.GetId()),
			"the created state, in the route")
	})

	t.Run("cancelling needs a reason", func(t *testing.T) {
		tk := h.create(t, reporter, newTicket(commonv1.Category_CATEGORY_WATER, "Leak"))
		_, err := h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: tk.GetId(), Status: cancelled})
		requireField(t, err, "reason")
		r, err := h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: tk.GetId(), Status: cancelled, Reason: "duplicate"})
		require.NoError(t, err)
		require.Equal(t, "duplicate", r.GetTicket().GetCancelReason())
	})

	t.Run("a citizen may cancel their own open ticket but not work it", func(t *testing.T) {
		tk := h.create(t, reporter, newTicket(commonv1.Category_CATEGORY_WATER, "Leak"))
		_, err := h.public.UpdateTicketStatus(reporter, &ticketv1.UpdateTicketStatusRequest{Id: tk.GetId(), Status: working})
		requireCode(t, err, codes.PermissionDenied)
		r, err := h.public.UpdateTicketStatus(reporter, &ticketv1.UpdateTicketStatusRequest{Id: tk.GetId(), Status: cancelled, Reason: "fixed itself"})
		require.NoError(t, err)
		require.Nil(t, r.GetTicket().GetFirstRespondedAt(), "a citizen's move is no first response")
	})

	t.Run("bad ids and statuses are refused by field", func(t *testing.T) {
		_, err := h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: "nope", Status: working})
		requireField(t, err, "id")
		tk := h.create(t, reporter, newTicket(commonv1.Category_CATEGORY_WATER, "Leak"))
		_, err = h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: tk.GetId()})
		requireField(t, err, "status")
	})
}
