package server_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
)

const secretText = "He hit me again last night at 14 Long Street"

func TestGBVTicketsAreConfidential(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	reporter := citizen(t, "CPT", "victim")
	req := newTicket(commonv1.Category_CATEGORY_GBV, secretText)
	req.IdempotencyKey = "gbv-1"
	receipt := h.create(t, reporter, req)
	h.create(t, reporter, newTicket(commonv1.Category_CATEGORY_WATER, "ordinary leak"))

	t.Run("the reporter gets a receipt without the content, also on a retry", func(t *testing.T) {
		require.NotEmpty(t, receipt.GetReference())
		require.Empty(t, receipt.GetDescription())
		require.Nil(t, receipt.GetReporter())
		again := h.create(t, reporter, req)
		require.Equal(t, receipt.GetId(), again.GetId())
		require.Empty(t, again.GetDescription())
	})

	t.Run("the plaintext is nowhere in the table", func(t *testing.T) {
		require.Equal(t, 0, h.count(t, `SELECT count(*) FROM ticket.tickets t WHERE t::text LIKE '%Long Street%' OR (t.category = 'gbv' AND t::text LIKE '%27821234567%')`))
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.tickets WHERE id = $1 AND description = '' AND sealed IS NOT NULL AND sealed_key_id = 'dev'`, receipt.GetId()))
	})

	t.Run("the tenant's SAPS liaison reads it and the read is logged", func(t *testing.T) {
		resp, err := h.public.GetTicket(saps(t, "CPT"), &ticketv1.GetTicketRequest{Id: receipt.GetId()})
		require.NoError(t, err)
		require.Equal(t, secretText, resp.GetTicket().GetDescription())
		require.Equal(t, "+27821234567", resp.GetTicket().GetReporter().GetPhone())
		require.Contains(t, h.listAll(t, saps(t, "CPT"), &ticketv1.ListTicketsRequest{}), receipt.GetId())
		require.GreaterOrEqual(t, h.count(t, `SELECT count(*) FROM ticket.gbv_access_log WHERE ticket_id = $1 AND subject = 'saps-CPT'`, receipt.GetId()), 2)
	})

	for _, tc := range []struct {
		name string
		ctx  func(t *testing.T) context.Context
	}{
		{"an agent", func(t *testing.T) context.Context { return agent(t, "CPT") }},
		{"the reporting citizen", func(t *testing.T) context.Context { return reporter }},
		{"a platform admin", admin},
		{"a platform admin who also holds the SAPS liaison role", func(t *testing.T) context.Context {
			return as(t, "*", "root-liaison", auth.RolePlatformAdmin, auth.RoleSAPSLiaison)
		}},
		{"another tenant's SAPS liaison", func(t *testing.T) context.Context { return saps(t, "JHB") }},
	} {
		t.Run(tc.name+" can neither read, list, count nor update it", func(t *testing.T) {
			ctx := tc.ctx(t)
			_, err := h.public.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: receipt.GetId()})
			requireCode(t, err, codes.NotFound)
			require.NotContains(t, h.listAll(t, ctx, &ticketv1.ListTicketsRequest{}), receipt.GetId())
			_, err = h.public.UpdateTicketStatus(ctx, &ticketv1.UpdateTicketStatusRequest{Id: receipt.GetId(), Status: cancelled, Reason: "x"})
			require.Error(t, err)
			_, err = h.public.ListTicketNotes(ctx, &ticketv1.ListTicketNotesRequest{TicketId: receipt.GetId()})
			require.Error(t, err)
		})
	}

	t.Run("a Get by another role of the tenant is NotFound, as for a missing id", func(t *testing.T) {
		_, err := h.public.GetTicket(agent(t, "CPT"), &ticketv1.GetTicketRequest{Id: receipt.GetId()})
		st := requireCode(t, err, codes.NotFound)
		require.Equal(t, "ticket not found", st.Message())
	})

	t.Run("row-level security hides GBV rows from non-SAPS roles", func(t *testing.T) {
		var n int
		err := pg.InTx(context.Background(), h.pool, pg.Scope{Tenant: "CPT", Subject: "a", Roles: []string{"agent"}}, func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT count(*) FROM ticket.tickets WHERE category = 'gbv'`).Scan(&n)
		})
		require.NoError(t, err)
		require.Zero(t, n)
	})

	t.Run("platform admins list the access log with ids only; nobody else may", func(t *testing.T) {
		resp, err := h.public.ListGbvAccessLog(admin(t), &ticketv1.ListGbvAccessLogRequest{TicketId: receipt.GetId(), PageSize: 1})
		require.NoError(t, err)
		require.Len(t, resp.GetEntries(), 1)
		require.Equal(t, "saps-CPT", resp.GetEntries()[0].GetSubject())
		require.NotEmpty(t, resp.GetNextPageToken())
		next, err := h.public.ListGbvAccessLog(admin(t), &ticketv1.ListGbvAccessLogRequest{TicketId: receipt.GetId(), PageSize: 1, PageToken: resp.GetNextPageToken()})
		require.NoError(t, err)
		require.Less(t, next.GetEntries()[0].GetId(), resp.GetEntries()[0].GetId())
		_, err = h.public.ListGbvAccessLog(saps(t, "CPT"), &ticketv1.ListGbvAccessLogRequest{})
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("the SAPS liaison works the ticket", func(t *testing.T) {
		r, err := h.public.UpdateTicketStatus(saps(t, "CPT"), &ticketv1.UpdateTicketStatusRequest{Id: receipt.GetId(), Status: working})
		require.NoError(t, err)
		require.Equal(t, secretText, r.GetTicket().GetDescription())
	})
}
