package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/vocab"
)

// gbvCancel is the cancel reason of the sealing test's GBV ticket.
const gbvCancel = "She asked us to stop: call 082 555 0101 only"

// schemaHits counts, over every table of schema ticket, the rows whose text
// form holds text: read as the superuser owner, past row-level security.
func (h *harness) schemaHits(t *testing.T, text string) map[string]int {
	t.Helper()
	rows, err := h.pool.Query(t.Context(), `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name)
		FROM information_schema.tables WHERE table_schema = 'ticket' AND table_type = 'BASE TABLE'`)
	require.NoError(t, err)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Contains(t, tables, "ticket.history")
	hits := map[string]int{}
	for _, tb := range tables {
		if n := h.count(t, `SELECT count(*) FROM `+tb+` r WHERE strpos(r::text, $1) > 0`, text); n > 0 {
			hits[tb] = n
		}
	}
	return hits
}

func TestEveryFreeTextOfAGBVTicketIsSealed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	liaison, svc := saps(t, "CPT"), service(t)
	id := h.create(t, citizen(t, "CPT", "victim"), gbvRequest()).GetId()
	assign := func(reason, team string, level int32) {
		t.Helper()
		_, err := h.internal.RecordAssignment(svc, &ticketv1.RecordAssignmentRequest{Tenant: "CPT", TicketId: id,
			AssignmentId: reason + team, TeamId: team, TeamName: team, Reason: vocab.MustParse[commonv1.AssignmentReason](reason), EscalationLevel: level,
			AssignTime: timestamppb.New(time.Now().Add(time.Duration(level) * time.Minute))})
		require.NoError(t, err)
	}
	assign("geospatial_routing", "SAPS Sea Point", 0)
	_, err := h.public.UpdateTicketStatus(liaison, &ticketv1.UpdateTicketStatusRequest{Id: id, Status: working, Reason: gbvReason})
	require.NoError(t, err)
	_, err = h.public.AddTicketNote(liaison, &ticketv1.AddTicketNoteRequest{TicketId: id, Body: gbvNote})
	require.NoError(t, err)
	assign("sla_breach", "SAPS Station Commander", 1)
	_, err = h.public.UpdateTicketStatus(liaison, &ticketv1.UpdateTicketStatusRequest{Id: id, Status: cancelled, Reason: gbvCancel})
	require.NoError(t, err)
	// The same texts on a water ticket stay readable in their columns.
	water := newTicket(commonv1.Category_CATEGORY_WATER, "Leak")
	water.Address = "Plain Street 1"
	wid := h.create(t, citizen(t, "CPT", "c1"), water).GetId()
	_, err = h.public.UpdateTicketStatus(agent(t, "CPT"), &ticketv1.UpdateTicketStatusRequest{Id: wid, Status: cancelled, Reason: "Plain reason"})
	require.NoError(t, err)

	t.Run("no table of schema ticket holds a GBV text in plain", func(t *testing.T) {
		for _, s := range append(gbvSecrets, gbvCancel, "SAPS Sea Point") {
			if s == "SAPS Sea Point" {
				// The team's name stays on the ticket (a team, not content); in
				// the history it is an entry's detail, sealed.
				require.NotContains(t, h.schemaHits(t, s), "ticket.history", s)
				continue
			}
			require.Empty(t, h.schemaHits(t, s), s)
		}
		require.Equal(t, map[string]int{"ticket.tickets": 1}, h.schemaHits(t, "Plain Street 1"), "the probe finds plaintext where it is")
		require.Equal(t, 1, h.schemaHits(t, "Plain reason")["ticket.history"])
		require.Zero(t, h.count(t, `SELECT count(*) FROM ticket.history WHERE ticket_id = $1 AND (reason <> '' OR detail <> '' OR sealed IS NULL)`, id))
	})

	t.Run("the SAPS liaison reads every text back", func(t *testing.T) {
		got, err := h.public.GetTicket(liaison, &ticketv1.GetTicketRequest{Id: id})
		require.NoError(t, err)
		require.Equal(t, gbvAddress, got.GetTicket().GetAddress())
		require.Equal(t, gbvCancel, got.GetTicket().GetCancelReason())
		require.Equal(t, secretText, got.GetTicket().GetDescription())
		require.Equal(t, commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH, got.GetTicket().GetEscalationReason())
		hist, err := h.public.GetTicketHistory(liaison, &ticketv1.GetTicketHistoryRequest{TicketId: id})
		require.NoError(t, err)
		var lines [][3]string
		for _, e := range hist.GetEntries() {
			lines = append(lines, [3]string{e.GetKind(), e.GetReason(), e.GetDetail()})
		}
		require.Equal(t, [][3]string{
			{"created", "", "mobile_app"},
			{"assigned", "geospatial_routing", "SAPS Sea Point"},
			{"status_changed", gbvReason, "first_response"},
			{"note_added", "", "internal"},
			{"escalated", "sla_breach", "SAPS Station Commander"},
			{"status_changed", gbvCancel, ""},
		}, lines)
	})

	t.Run("a history entry's ciphertext does not open on another entry", func(t *testing.T) {
		_, err := h.pool.Exec(t.Context(), `INSERT INTO ticket.history (ticket_id, sequence, tenant, gbv, kind, actor,
				sealed, sealed_key_id, sealed_nonce, event_id, create_time)
			SELECT ticket_id, 99, tenant, gbv, kind, actor, sealed, sealed_key_id, sealed_nonce, gen_random_uuid(), create_time
			FROM ticket.history WHERE ticket_id = $1 AND sequence = 3`, id)
		require.NoError(t, err)
		_, err = h.public.GetTicketHistory(liaison, &ticketv1.GetTicketHistoryRequest{TicketId: id})
		requireCode(t, err, codes.Internal) // the associated data names the sequence
		_, err = h.pool.Exec(t.Context(), `DELETE FROM ticket.history WHERE ticket_id = $1 AND sequence = 99`, id)
		require.NoError(t, err)
	})

	t.Run("the database refuses GBV plaintext from the application role", func(t *testing.T) {
		for _, tc := range []struct{ constraint, stmt string }{
			{"gbv_text_sealed", `UPDATE ticket.tickets SET address = 'Flat 3, 14 Long Street' WHERE id = $1`},
			{"gbv_text_sealed", `UPDATE ticket.tickets SET cancel_reason = 'call her on 082' WHERE id = $1`},
			{"gbv_text_sealed", `UPDATE ticket.tickets SET escalation_reason = 'she is in danger' WHERE id = $1`},
			{"gbv_text_sealed", `UPDATE ticket.tickets SET assignment_reason = 'moved to her sister' WHERE id = $1`},
			{"gbv_history_sealed", `INSERT INTO ticket.history (ticket_id, sequence, tenant, gbv, kind, actor, reason, event_id, create_time)
				VALUES ($1, 100, 'CPT', true, 'status_changed', 'x', 'plaintext', gen_random_uuid(), now())`},
			{"gbv_history_sealed", `INSERT INTO ticket.history (ticket_id, sequence, tenant, gbv, kind, actor, detail, sealed, sealed_key_id, sealed_nonce, event_id, create_time)
				VALUES ($1, 100, 'CPT', true, 'assigned', 'x', 'plaintext', '\x00', 'dev', '\x00', gen_random_uuid(), now())`},
			{"history_ticket_gbv", `INSERT INTO ticket.history (ticket_id, sequence, tenant, gbv, kind, actor, reason, event_id, create_time)
				VALUES ($1, 100, 'CPT', false, 'status_changed', 'x', 'plaintext', gen_random_uuid(), now())`},
			{"notes_ticket_gbv", `INSERT INTO ticket.notes (id, ticket_id, tenant, gbv, author, visibility, body, create_time)
				VALUES (gen_random_uuid(), $1, 'CPT', false, 'x', 'internal', 'plaintext', now())`},
			{"gbv_note_sealed", `INSERT INTO ticket.notes (id, ticket_id, tenant, gbv, author, visibility, body, create_time)
				VALUES (gen_random_uuid(), $1, 'CPT', true, 'x', 'internal', 'plaintext', now())`},
		} {
			err := pg.InTx(context.Background(), h.pool, pg.Scope{Tenant: "CPT", Subject: "saps-CPT", Roles: []string{"saps_liaison"}},
				func(tx pgx.Tx) error {
					_, err := tx.Exec(context.Background(), tc.stmt, id)
					return err
				})
			require.ErrorContains(t, err, tc.constraint, tc.stmt)
		}
	})

	t.Run("the constraints are validated, so they hold for every row", func(t *testing.T) {
		require.Equal(t, 5, h.count(t, `SELECT count(*) FROM pg_constraint WHERE connamespace = 'ticket'::regnamespace
			AND conname IN ('gbv_text_sealed', 'gbv_history_sealed', 'gbv_note_sealed', 'history_ticket_gbv', 'notes_ticket_gbv')
			AND convalidated`))
	})
}
