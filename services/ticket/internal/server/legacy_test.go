package server_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/require"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/ticket/internal/outbox"
	"github.com/salga/trustengine/services/ticket/internal/store"
	"github.com/salga/trustengine/services/ticket/migrations"
)

// migrateTo applies the ticket migrations up to version only, as an older
// release of the service left its database.
func migrateTo(ctx context.Context, pool *pgxpool.Pool, version int64) error {
	db := stdlib.OpenDB(*pool.Config().ConnConfig.Copy())
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS ticket`); err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS,
		goose.WithTableName("ticket.goose_db_version"), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// legacyWriter inserts rows as releases before migration 00008 wrote them:
// only the description and reporter of a GBV ticket sealed, everything
// else in plain text.
type legacyWriter struct {
	t    *testing.T
	pool *pgxpool.Pool
	keys *seal.Keyring
}

func (w legacyWriter) exec(sql string, args ...any) {
	w.t.Helper()
	_, err := w.pool.Exec(w.t.Context(), sql, args...)
	require.NoError(w.t, err, sql)
}

// gbvTicket inserts a cancelled GBV ticket with a plaintext address and
// cancel reason, and its description and reporter sealed the old way.
func (w legacyWriter) gbvTicket(id, address, cancel string) {
	w.t.Helper()
	doc, err := json.Marshal(map[string]any{"description": secretText, "reporter": map[string]string{"name": "Survivor", "phone": gbvPhone}})
	require.NoError(w.t, err)
	sd, err := w.keys.Seal(doc, []byte("ticket:CPT:"+id))
	require.NoError(w.t, err)
	w.exec(`INSERT INTO ticket.tickets (id, tenant, reference, category, status, location, address, reporter_subject,
			channel, sealed, sealed_key_id, sealed_nonce, assignment_reason, cancel_reason, create_time, update_time, history_seq)
		VALUES ($1, 'CPT', $7, 'gbv', 'cancelled', ST_SetSRID(ST_MakePoint(18.42, -33.92), 4326),
			$2, 'victim', 'web', $3, $4, $5, 'geospatial_routing', $6, now(), now(), 4)`,
		id, address, sd.Ciphertext, sd.KeyID, sd.Nonce, cancel, "CPT-2025-"+id[:6])
}

// history inserts a history entry with a plaintext reason and detail.
func (w legacyWriter) history(ticketID string, seq int, gbv bool, kind, reason, detail string) {
	w.t.Helper()
	w.exec(`INSERT INTO ticket.history (ticket_id, sequence, tenant, gbv, kind, actor, reason, detail, event_id, create_time)
		VALUES ($1, $2, 'CPT', $3, $4, 'saps-CPT', $5, $6, gen_random_uuid(), now())`, ticketID, seq, gbv, kind, reason, detail)
}

// TestStartUpSealsGBVTextThatOlderReleasesStoredInPlain builds a database
// as releases before migration 00008 left it (a GBV note from before 00004
// in plain text; addresses, cancel reasons and history reasons in plain
// text, some written at version 3 and some at version 6), then starts the
// service the way the binary does: afterwards no table holds the plaintext,
// the SAPS liaison reads every text back, and the CHECKs are validated.
func TestStartUpSealsGBVTextThatOlderReleasesStoredInPlain(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "ticket_v3", func(ctx context.Context, pool *pgxpool.Pool) error { return migrateTo(ctx, pool, 3) })
	keys, err := seal.ParseKeyring(seal.DevKeys, "dev")
	require.NoError(t, err)
	w := legacyWriter{t: t, pool: pool, keys: keys}
	a, b, water, noteA := uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString()

	// Version 3: a GBV ticket, its history, a plaintext GBV note, and a
	// water ticket whose texts stay plain.
	w.gbvTicket(a, gbvAddress, gbvCancel)
	w.history(a, 1, true, "created", "", "web")
	w.history(a, 2, true, "assigned", "geospatial_routing", "SAPS Sea Point")
	w.history(a, 3, true, "status_changed", gbvReason, "first_response")
	w.history(a, 4, true, "status_changed", gbvCancel, "")
	// Enough further entries that sealing takes several batches.
	w.exec(`INSERT INTO ticket.history (ticket_id, sequence, tenant, gbv, kind, actor, reason, detail, event_id, create_time)
		SELECT $1, s, 'CPT', true, 'note_added', 'saps-CPT', '', 'internal', gen_random_uuid(), now()
		FROM generate_series(5, 1204) s`, a)
	w.exec(`UPDATE ticket.tickets SET history_seq = 1204 WHERE id = $1`, a)
	w.exec(`INSERT INTO ticket.notes (id, ticket_id, tenant, gbv, author, visibility, body, create_time)
		VALUES ($1, $2, 'CPT', true, 'saps-CPT', 'internal', $3, now())`, noteA, a, gbvNote)
	w.exec(`INSERT INTO ticket.tickets (id, tenant, reference, category, status, description, location, address,
			reporter_subject, channel, cancel_reason, create_time, update_time, history_seq)
		VALUES ($1, 'CPT', 'CPT-2025-000001', 'water', 'cancelled', 'Leak', ST_SetSRID(ST_MakePoint(18.42, -33.92), 4326),
			'Plain Street 1', 'c1', 'web', 'Plain reason', now(), now(), 1)`, water)
	w.history(water, 1, false, "status_changed", "Plain reason", "")
	w.exec(`UPDATE ticket.history SET from_status = 'open', to_status = 'cancelled' WHERE ticket_id = $1`, water)
	for author, body := range map[string]string{"c1": "My gate code is 4321", "agent-CPT": "Crew on the way"} {
		w.exec(`INSERT INTO ticket.notes (id, ticket_id, tenant, gbv, author, visibility, body, create_time)
			VALUES (gen_random_uuid(), $1, 'CPT', false, $2, 'public', $3, now())`, water, author, body)
	}

	// Version 6: another GBV ticket as the release before this one wrote it.
	require.NoError(t, migrateTo(t.Context(), pool, 6))
	w.gbvTicket(b, "12 Other Road", "")
	w.history(b, 1, true, "status_changed", "Taken to Groote Schuur", "first_response")

	// Start-up, twice: replicas restart, and the second finds nothing to do.
	for range 2 {
		require.NoError(t, store.Prepare(t.Context(), pool, keys))
		require.NoError(t, queue.Migrate(t.Context(), pool, outbox.Schema))
	}
	h := harnessOn(t, pool)

	t.Run("no table of schema ticket holds the GBV text", func(t *testing.T) {
		for _, s := range []string{gbvAddress, gbvCancel, gbvReason, gbvNote, "SAPS Sea Point", "12 Other Road", "Groote Schuur"} {
			require.Empty(t, h.schemaHits(t, s), s)
		}
		require.Zero(t, h.count(t, `SELECT count(*) FROM ticket.history WHERE gbv AND (sealed IS NULL OR reason <> '' OR detail <> '')`))
		require.Equal(t, 1, h.schemaHits(t, "Plain Street 1")["ticket.tickets"], "a water ticket's texts stay in plain")
		require.Equal(t, 1, h.schemaHits(t, "Plain reason")["ticket.history"])
	})
	t.Run("the SAPS liaison reads every text back", func(t *testing.T) {
		liaison := saps(t, "CPT")
		got, err := h.public.GetTicket(liaison, &ticketv1.GetTicketRequest{Id: a})
		require.NoError(t, err)
		require.Equal(t, secretText, got.GetTicket().GetDescription())
		require.Equal(t, gbvAddress, got.GetTicket().GetAddress())
		require.Equal(t, gbvCancel, got.GetTicket().GetCancelReason())
		require.Equal(t, gbvPhone, got.GetTicket().GetReporter().GetPhone())
		hist, err := h.public.GetTicketHistory(liaison, &ticketv1.GetTicketHistoryRequest{TicketId: a})
		require.NoError(t, err)
		require.Len(t, hist.GetEntries(), 1204)
		e := hist.GetEntries()
		require.Equal(t, []string{"geospatial_routing", "SAPS Sea Point"}, []string{e[1].GetReason(), e[1].GetDetail()})
		require.Equal(t, gbvReason, e[2].GetReason())
		require.Equal(t, gbvCancel, e[3].GetReason())
		require.Equal(t, "internal", e[1203].GetDetail())
		notes, err := h.public.ListTicketNotes(liaison, &ticketv1.ListTicketNotesRequest{TicketId: a})
		require.NoError(t, err)
		require.Len(t, notes.GetNotes(), 1)
		require.Equal(t, gbvNote, notes.GetNotes()[0].GetBody())
		got, err = h.public.GetTicket(liaison, &ticketv1.GetTicketRequest{Id: b})
		require.NoError(t, err)
		require.Equal(t, "12 Other Road", got.GetTicket().GetAddress())
		hist, err = h.public.GetTicketHistory(liaison, &ticketv1.GetTicketHistoryRequest{TicketId: b})
		require.NoError(t, err)
		require.Equal(t, "Taken to Groote Schuur", hist.GetEntries()[0].GetReason())
	})
	t.Run("the CHECKs are validated and hold from now on", func(t *testing.T) {
		require.Equal(t, 3, h.count(t, `SELECT count(*) FROM pg_constraint WHERE connamespace = 'ticket'::regnamespace
			AND conname IN ('gbv_text_sealed', 'gbv_history_sealed', 'gbv_note_sealed') AND convalidated`))
		_, err := h.pool.Exec(t.Context(), `UPDATE ticket.tickets SET address = 'again' WHERE id = $1`, a)
		require.ErrorContains(t, err, "gbv_text_sealed")
	})
	t.Run("Open311 shows the staff's note and cancel reason of older tickets, not the reporter's note", func(t *testing.T) {
		got, err := h.internal.GetPublicTicket(service(t), &ticketv1.GetPublicTicketRequest{Tenant: "CPT", Id: water, IncludeNotes: true})
		require.NoError(t, err)
		require.Len(t, got.GetTicket().GetNotes(), 1)
		require.Equal(t, "Crew on the way", got.GetTicket().GetNotes()[0].GetBody())
		require.Equal(t, "Plain reason", got.GetTicket().GetCancelReason(), "cancelled by saps-CPT, not the reporter")
	})
	t.Run("the water ticket reads as before", func(t *testing.T) {
		got, err := h.public.GetTicket(agent(t, "CPT"), &ticketv1.GetTicketRequest{Id: water})
		require.NoError(t, err)
		require.Equal(t, "Plain Street 1", got.GetTicket().GetAddress())
		require.Equal(t, "Plain reason", got.GetTicket().GetCancelReason())
		require.WithinDuration(t, time.Now(), got.GetTicket().GetCreateTime().AsTime(), time.Hour)
	})
}
