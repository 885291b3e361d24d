package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

func TestNotesAndHistory(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	reporter := citizen(t, "CPT", "c1")
	staff := agent(t, "CPT")
	tk := h.create(t, reporter, newTicket(commonv1.Category_CATEGORY_WATER, "Leak"))

	_, err := h.public.AddTicketNote(staff, &ticketv1.AddTicketNoteRequest{TicketId: tk.GetId(), Body: "crew dispatched",
		Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_INTERNAL})
	require.NoError(t, err)
	_, err = h.public.AddTicketNote(staff, &ticketv1.AddTicketNoteRequest{TicketId: tk.GetId(), Body: "we are on it",
		Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC})
	require.NoError(t, err)
	_, err = h.public.AddTicketNote(reporter, &ticketv1.AddTicketNoteRequest{TicketId: tk.GetId(), Body: "thanks"})
	require.NoError(t, err)
	_, err = h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: tk.GetId(), Status: working, Reason: "on site"})
	require.NoError(t, err)

	t.Run("staff read every note, the reporter only public ones", func(t *testing.T) {
		r, err := h.public.ListTicketNotes(staff, &ticketv1.ListTicketNotesRequest{TicketId: tk.GetId()})
		require.NoError(t, err)
		require.Len(t, r.GetNotes(), 3)
		require.Equal(t, "crew dispatched", r.GetNotes()[0].GetBody())
		r, err = h.public.ListTicketNotes(reporter, &ticketv1.ListTicketNotesRequest{TicketId: tk.GetId()})
		require.NoError(t, err)
		require.Len(t, r.GetNotes(), 2)
		for _, n := range r.GetNotes() {
			require.Equal(t, ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC, n.GetVisibility())
		}
	})
	t.Run("a citizen cannot write internal notes and empty notes are refused", func(t *testing.T) {
		_, err := h.public.AddTicketNote(reporter, &ticketv1.AddTicketNoteRequest{TicketId: tk.GetId(), Body: "x",
			Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_INTERNAL})
		requireCode(t, err, codes.PermissionDenied)
		_, err = h.public.AddTicketNote(staff, &ticketv1.AddTicketNoteRequest{TicketId: tk.GetId(), Body: " "})
		requireField(t, err, "body")
	})
	t.Run("history records every change in order with who, from, to and why", func(t *testing.T) {
		r, err := h.public.GetTicketHistory(staff, &ticketv1.GetTicketHistoryRequest{TicketId: tk.GetId()})
		require.NoError(t, err)
		var kinds []string
		for i, e := range r.GetEntries() {
			require.Equal(t, int64(i+1), e.GetSequence())
			kinds = append(kinds, e.GetKind())
		}
		require.Equal(t, []string{"created", "note_added", "note_added", "note_added", "status_changed"}, kinds)
		last := r.GetEntries()[4]
		require.Equal(t, "agent-CPT", last.GetActor())
		require.Equal(t, open, last.GetFromStatus())
		require.Equal(t, working, last.GetToStatus())
		require.Equal(t, "on site", last.GetReason())
	})
	t.Run("the reporter's history leaves out internal notes", func(t *testing.T) {
		r, err := h.public.GetTicketHistory(reporter, &ticketv1.GetTicketHistoryRequest{TicketId: tk.GetId()})
		require.NoError(t, err)
		require.Len(t, r.GetEntries(), 4)
	})
	t.Run("history, notes and the access log are append-only for the application role", func(t *testing.T) {
		for _, stmt := range []string{
			`DELETE FROM ticket.history`, `UPDATE ticket.history SET reason = 'rewritten'`,
			`DELETE FROM ticket.notes`, `UPDATE ticket.notes SET body = 'rewritten'`,
			`DELETE FROM ticket.gbv_access_log`, `UPDATE ticket.gbv_access_log SET subject = 'nobody'`,
		} {
			tx, err := h.pool.Begin(t.Context())
			require.NoError(t, err)
			_, err = tx.Exec(t.Context(), `SET LOCAL ROLE trustengine_app`)
			require.NoError(t, err)
			_, err = tx.Exec(t.Context(), stmt)
			require.ErrorContains(t, err, "permission denied", stmt)
			_ = tx.Rollback(t.Context())
		}
	})
}
