package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// noteHits counts the columns of ticket.notes rows, each cast to text, that
// contain text, plus the rows whose sealed bytes contain it: read as the
// superuser owner, past row-level security.
func (h *harness) noteHits(t *testing.T, text string) int {
	t.Helper()
	return h.count(t, `SELECT count(*) FROM ticket.notes n, jsonb_each_text(to_jsonb(n)) c
		WHERE strpos(c.value, $1) > 0`, text) +
		h.count(t, `SELECT count(*) FROM ticket.notes WHERE position(convert_to($1, 'UTF8') IN coalesce(sealed, ''::bytea)) > 0`, text)
}

func TestGBVNotesAreSealed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	liaison := saps(t, "CPT")
	gbv := h.create(t, citizen(t, "CPT", "victim"), newTicket(commonv1.Category_CATEGORY_GBV, secretText))
	water := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Leak"))

	const (
		internalNote = "Survivor moved to shelter at 9 Bree Street"
		publicNote   = "Case number 4411/2026 opened at Sea Point SAPS"
		plainNote    = "Crew dispatched to the leak"
	)
	for vis, body := range map[ticketv1.NoteVisibility]string{
		ticketv1.NoteVisibility_NOTE_VISIBILITY_INTERNAL: internalNote,
		ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC:   publicNote,
	} {
		r, err := h.public.AddTicketNote(liaison, &ticketv1.AddTicketNoteRequest{TicketId: gbv.GetId(), Body: body, Visibility: vis})
		require.NoError(t, err)
		require.Equal(t, body, r.GetNote().GetBody())
	}
	_, err := h.public.AddTicketNote(agent(t, "CPT"), &ticketv1.AddTicketNoteRequest{TicketId: water.GetId(), Body: plainNote,
		Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC})
	require.NoError(t, err)

	t.Run("a GBV note's text is in no column of ticket.notes", func(t *testing.T) {
		for _, body := range []string{internalNote, publicNote, "Bree Street", "4411/2026"} {
			require.Zero(t, h.noteHits(t, body), body)
		}
		require.Equal(t, 2, h.count(t, `SELECT count(*) FROM ticket.notes WHERE ticket_id = $1 AND gbv
			AND body = '' AND sealed IS NOT NULL AND sealed_key_id = 'dev' AND length(sealed_nonce) = 12`, gbv.GetId()))
	})

	t.Run("the SAPS liaison reads the notes back verbatim and the read is logged", func(t *testing.T) {
		before := h.count(t, `SELECT count(*) FROM ticket.gbv_access_log WHERE ticket_id = $1 AND action = 'ListTicketNotes'`, gbv.GetId())
		r, err := h.public.ListTicketNotes(liaison, &ticketv1.ListTicketNotesRequest{TicketId: gbv.GetId()})
		require.NoError(t, err)
		var got []string
		for _, n := range r.GetNotes() {
			got = append(got, n.GetBody())
		}
		require.ElementsMatch(t, []string{internalNote, publicNote}, got)
		require.Equal(t, before+1, h.count(t, `SELECT count(*) FROM ticket.gbv_access_log WHERE ticket_id = $1 AND action = 'ListTicketNotes'`, gbv.GetId()))
	})

	t.Run("a sealed note moved to another note does not open", func(t *testing.T) {
		// Copy one note's ciphertext onto a new row of the same ticket as
		// the owner: the associated data names the note, so reading fails.
		_, err := h.pool.Exec(t.Context(), `INSERT INTO ticket.notes (id, ticket_id, tenant, gbv, author, visibility, body,
				sealed, sealed_key_id, sealed_nonce, create_time)
			SELECT gen_random_uuid(), ticket_id, tenant, gbv, author, visibility, body, sealed, sealed_key_id, sealed_nonce, create_time
			FROM ticket.notes WHERE ticket_id = $1 LIMIT 1`, gbv.GetId())
		require.NoError(t, err)
		_, err = h.public.ListTicketNotes(liaison, &ticketv1.ListTicketNotesRequest{TicketId: gbv.GetId()})
		requireCode(t, err, codes.Internal)
	})

	t.Run("non-GBV notes stay plaintext and read as before", func(t *testing.T) {
		require.Positive(t, h.noteHits(t, plainNote), "the probe finds plaintext where it is")
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.notes WHERE ticket_id = $1 AND NOT gbv
			AND body = $2 AND sealed IS NULL AND sealed_key_id IS NULL AND sealed_nonce IS NULL`, water.GetId(), plainNote))
		r, err := h.public.ListTicketNotes(citizen(t, "CPT", "c1"), &ticketv1.ListTicketNotesRequest{TicketId: water.GetId()})
		require.NoError(t, err)
		require.Len(t, r.GetNotes(), 1)
		require.Equal(t, plainNote, r.GetNotes()[0].GetBody())
	})

	t.Run("the database refuses a GBV note in plaintext or a sealed non-GBV note", func(t *testing.T) {
		for _, stmt := range []string{
			`INSERT INTO ticket.notes (id, ticket_id, tenant, gbv, author, visibility, body, create_time)
				VALUES (gen_random_uuid(), $1, 'CPT', true, 'x', 'internal', 'plaintext', now())`,
			`INSERT INTO ticket.notes (id, ticket_id, tenant, gbv, author, visibility, body, create_time)
				VALUES (gen_random_uuid(), $1, 'CPT', true, 'x', 'internal', '', now())`,
			`INSERT INTO ticket.notes (id, ticket_id, tenant, gbv, author, visibility, body, sealed, sealed_key_id, sealed_nonce, create_time)
				VALUES (gen_random_uuid(), $1, 'CPT', false, 'x', 'internal', 'b', '\x00', 'dev', '\x00', now())`,
		} {
			_, err := h.pool.Exec(t.Context(), stmt, gbv.GetId())
			require.ErrorContains(t, err, "gbv_note_sealed", stmt)
		}
	})

	t.Run("Open311 never carries a GBV note", func(t *testing.T) {
		resp, err := h.internal.ListPublicTickets(service(t), &ticketv1.ListPublicTicketsRequest{Tenant: "CPT", IncludeNotes: true})
		require.NoError(t, err)
		var bodies []string
		for _, tk := range resp.GetTickets() {
			require.NotEqual(t, gbv.GetId(), tk.GetId())
			for _, n := range tk.GetNotes() {
				bodies = append(bodies, n.GetBody())
			}
		}
		require.Equal(t, []string{plainNote}, bodies)
	})
}
