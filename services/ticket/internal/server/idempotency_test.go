package server_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/pg"
)

// TestIdempotencyKeysAreTheCallersOwnForOneRequestAndADay checks the
// contract of CreateTicket's (and SubmitPublicReport's) idempotency key:
// scoped to (tenant, caller), bound to the request it first came with, and
// free again after 24 hours.
func TestIdempotencyKeysAreTheCallersOwnForOneRequestAndADay(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a, b := agent(t, "CPT"), as(t, "CPT", "agent-b", "agent")
	report := func(key, desc string) *ticketv1.CreateTicketRequest {
		req := newTicket(commonv1.Category_CATEGORY_WATER, desc)
		req.IdempotencyKey = key
		return req
	}
	tickets := func() int { return h.count(t, `SELECT count(*) FROM ticket.tickets`) }

	t.Run("two callers with one key get a ticket each, and each their own on a retry", func(t *testing.T) {
		first := h.create(t, a, report("shared", "Leak reported by A"))
		second := h.create(t, b, report("shared", "Pothole reported by B"))
		require.NotEqual(t, first.GetId(), second.GetId())
		require.Equal(t, "Pothole reported by B", second.GetDescription())
		require.Equal(t, "agent-b", second.GetReporterSubject())
		require.Equal(t, first.GetId(), h.create(t, a, report("shared", "Leak reported by A")).GetId())
		require.Equal(t, second.GetId(), h.create(t, b, report("shared", "Pothole reported by B")).GetId())
	})

	t.Run("the same key with another request is AlreadyExists and creates nothing", func(t *testing.T) {
		h.create(t, a, report("k1", "Leak on Main Road"))
		before := tickets()
		for _, edit := range []func(*ticketv1.CreateTicketRequest){
			func(r *ticketv1.CreateTicketRequest) { r.Description = "Leak on Long Street" },
			func(r *ticketv1.CreateTicketRequest) { r.Category = commonv1.Category_CATEGORY_ROADS },
			func(r *ticketv1.CreateTicketRequest) {
				r.Location = &commonv1.LatLng{Latitude: -33.93, Longitude: 18.43}
			},
			func(r *ticketv1.CreateTicketRequest) { r.Address = "2 Adderley St" },
			func(r *ticketv1.CreateTicketRequest) { r.Reporter.Phone = "+27820000000" },
			func(r *ticketv1.CreateTicketRequest) { r.Channel = ticketv1.Channel_CHANNEL_WALK_IN },
		} {
			req := report("k1", "Leak on Main Road")
			edit(req)
			_, err := h.public.CreateTicket(a, req)
			st := requireCode(t, err, codes.AlreadyExists)
			require.Contains(t, st.Message(), "idempotency_key was already used for a different request")
		}
		require.Equal(t, before, tickets())
		// Text is compared after trimming, as it is stored.
		req := report("k1", "  Leak on Main Road ")
		_, err := h.public.CreateTicket(a, req)
		require.NoError(t, err)
		require.Equal(t, before, tickets())
	})

	t.Run("a key is free again after 24 hours", func(t *testing.T) {
		first := h.create(t, a, report("k2", "Leak at the school"))
		_, err := h.pool.Exec(t.Context(), `UPDATE ticket.idempotency_keys SET create_time = now() - interval '24 hours 1 second'
			WHERE key = 'k2'`)
		require.NoError(t, err)
		again := h.create(t, a, report("k2", "Another leak at the school"))
		require.NotEqual(t, first.GetId(), again.GetId())
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.idempotency_keys WHERE key = 'k2' AND ticket_id = $1`, again.GetId()))
		require.Equal(t, again.GetId(), h.create(t, a, report("k2", "Another leak at the school")).GetId())
	})

	t.Run("the sweep deletes expired keys of every tenant and keeps live ones", func(t *testing.T) {
		h.create(t, b, report("old-1", "Old leak"))
		h.create(t, a, report("live-1", "New leak"))
		_, err := h.pool.Exec(t.Context(), `UPDATE ticket.idempotency_keys SET create_time = now() - interval '25 hours' WHERE key = 'old-1'`)
		require.NoError(t, err)
		n, err := h.app.DeleteExpiredKeys(t.Context())
		require.NoError(t, err)
		require.Equal(t, int64(1), n)
		require.Zero(t, h.count(t, `SELECT count(*) FROM ticket.idempotency_keys WHERE create_time <= now() - interval '24 hours'`))
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.idempotency_keys WHERE key = 'live-1'`))
	})

	t.Run("Open311 reports: keys are per client application and bound to the report", func(t *testing.T) {
		svc := service(t)
		client, other := uuid.NewString(), uuid.NewString()
		submit := func(clientID, desc string) (*ticketv1.SubmitPublicReportResponse, error) {
			return h.internal.SubmitPublicReport(svc, &ticketv1.SubmitPublicReportRequest{Tenant: "CPT", ClientId: clientID,
				Category: commonv1.Category_CATEGORY_WATER, Description: desc, Location: capeTown,
				MediaUrl: "https://img.example.org/a.jpg", Attributes: map[string]string{"severity": "high"}, IdempotencyKey: "o311"})
		}
		first, err := submit(client, "Leak by the station")
		require.NoError(t, err)
		retry, err := submit(client, "Leak by the station")
		require.NoError(t, err)
		require.Equal(t, first.GetId(), retry.GetId())
		_, err = submit(client, "Another leak")
		requireCode(t, err, codes.AlreadyExists)
		theirs, err := submit(other, "Leak by the station")
		require.NoError(t, err)
		require.NotEqual(t, first.GetId(), theirs.GetId())
	})

	t.Run("row-level security shows a caller only their own keys", func(t *testing.T) {
		var n int
		err := pg.InTx(context.Background(), h.pool, pg.Scope{Tenant: "CPT", Subject: "agent-b", Roles: []string{"agent"}}, func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT count(*) FROM ticket.idempotency_keys WHERE subject <> 'agent-b'`).Scan(&n)
		})
		require.NoError(t, err)
		require.Zero(t, n)
		require.Positive(t, h.count(t, `SELECT count(*) FROM ticket.idempotency_keys WHERE subject <> 'agent-b'`))
	})
}
