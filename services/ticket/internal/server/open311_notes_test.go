package server_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protojson"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
)

// TestOpen311PublishesOnlyWhatStaffWrote writes public notes on a ticket as
// its reporter and as every staff role, and cancels tickets as the reporter
// and as staff: the Open311 RPCs carry the staff's notes and cancel reason
// only, while the reporter and staff still read the citizen's note.
func TestOpen311PublishesOnlyWhatStaffWrote(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	svc, reporter := service(t), citizen(t, "CPT", "c1")
	const private = "Call me on 082 555 1234, the gate code is 4321"
	id := h.create(t, reporter, newTicket(commonv1.Category_CATEGORY_WATER, "Leak")).GetId()
	note := func(ctx context.Context, vis ticketv1.NoteVisibility, body string) {
		t.Helper()
		_, err := h.public.AddTicketNote(ctx, &ticketv1.AddTicketNoteRequest{TicketId: id, Visibility: vis, Body: body})
		require.NoError(t, err)
	}
	public, internal := ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC, ticketv1.NoteVisibility_NOTE_VISIBILITY_INTERNAL
	note(reporter, public, private)
	staff := map[string]context.Context{
		"agent": agent(t, "CPT"), "team_manager": as(t, "CPT", "tm", auth.RoleTeamManager),
		"municipal_admin": as(t, "CPT", "ma", auth.RoleMunicipalAdmin),
	}
	var staffNotes []string
	for role, ctx := range staff {
		note(ctx, public, "Update from the "+role)
		staffNotes = append(staffNotes, "Update from the "+role)
	}
	note(staff["agent"], internal, "staff only")

	t.Run("Open311 lists and gets the staff's public notes only", func(t *testing.T) {
		list, err := h.internal.ListPublicTickets(svc, &ticketv1.ListPublicTicketsRequest{Tenant: "CPT", IncludeNotes: true})
		require.NoError(t, err)
		one, err := h.internal.GetPublicTicket(svc, &ticketv1.GetPublicTicketRequest{Tenant: "CPT", Id: id, IncludeNotes: true})
		require.NoError(t, err)
		for _, tk := range append(list.GetTickets(), one.GetTicket()) {
			var bodies []string
			for _, n := range tk.GetNotes() {
				bodies = append(bodies, n.GetBody())
			}
			require.ElementsMatch(t, staffNotes, bodies)
			raw, err := protojson.Marshal(tk)
			require.NoError(t, err)
			require.NotContains(t, string(raw), "4321")
		}
	})
	t.Run("the reporter and staff still read the citizen's note", func(t *testing.T) {
		for _, ctx := range []context.Context{reporter, staff["agent"]} {
			r, err := h.public.ListTicketNotes(ctx, &ticketv1.ListTicketNotesRequest{TicketId: id})
			require.NoError(t, err)
			var bodies []string
			for _, n := range r.GetNotes() {
				bodies = append(bodies, n.GetBody())
			}
			require.Contains(t, bodies, private)
		}
	})
	t.Run("a cancel reason is public only when staff cancelled", func(t *testing.T) {
		byCitizen := h.create(t, reporter, newTicket(commonv1.Category_CATEGORY_WATER, "Leak")).GetId()
		byStaff := h.create(t, reporter, newTicket(commonv1.Category_CATEGORY_WATER, "Leak")).GetId()
		_, err := h.public.UpdateTicketStatus(reporter, &ticketv1.UpdateTicketStatusRequest{Id: byCitizen, Status: cancelled, Reason: private})
		require.NoError(t, err)
		_, err = h.public.UpdateTicketStatus(staff["agent"], &ticketv1.UpdateTicketStatusRequest{Id: byStaff, Status: cancelled, Reason: "duplicate"})
		require.NoError(t, err)
		for tid, want := range map[string]string{byCitizen: "", byStaff: "duplicate"} {
			got, err := h.internal.GetPublicTicket(svc, &ticketv1.GetPublicTicketRequest{Tenant: "CPT", Id: tid})
			require.NoError(t, err)
			require.Equal(t, want, got.GetTicket().GetCancelReason())
		}
		mine, err := h.public.GetTicket(reporter, &ticketv1.GetTicketRequest{Id: byCitizen})
		require.NoError(t, err)
		require.Equal(t, private, mine.GetTicket().GetCancelReason(), "the reporter still reads their own reason")
	})
}
