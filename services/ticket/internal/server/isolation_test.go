package server_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/pg"
)

func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cpt := h.create(t, citizen(t, "CPT", "c1"), newTicket(commonv1.Category_CATEGORY_WATER, "Cape Town leak"))
	jhbReq := newTicket(commonv1.Category_CATEGORY_WATER, "Joburg leak")
	jhbReq.Location = &commonv1.LatLng{Latitude: -26.2041, Longitude: 28.0473}
	jhb := h.create(t, citizen(t, "JHB", "j1"), jhbReq)
	jhbAgent := agent(t, "JHB")

	t.Run("another tenant's Get is NotFound", func(t *testing.T) {
		_, err := h.public.GetTicket(jhbAgent, &ticketv1.GetTicketRequest{Id: cpt.GetId()})
		requireCode(t, err, codes.NotFound)
	})
	t.Run("another tenant's List returns none of it and naming the tenant is refused", func(t *testing.T) {
		ids := h.listAll(t, jhbAgent, &ticketv1.ListTicketsRequest{})
		require.Equal(t, []string{jhb.GetId()}, ids)
		_, err := h.public.ListTickets(jhbAgent, &ticketv1.ListTicketsRequest{Tenant: "CPT"})
		requireCode(t, err, codes.PermissionDenied)
	})
	t.Run("another tenant's Update is NotFound and changes nothing", func(t *testing.T) {
		_, err := h.public.UpdateTicketStatus(jhbAgent, &ticketv1.UpdateTicketStatusRequest{Id: cpt.GetId(), Status: working})
		requireCode(t, err, codes.NotFound)
		_, err = h.public.AddTicketNote(jhbAgent, &ticketv1.AddTicketNoteRequest{TicketId: cpt.GetId(), Body: "hi"})
		requireCode(t, err, codes.NotFound)
		_, err = h.public.GetTicketHistory(jhbAgent, &ticketv1.GetTicketHistoryRequest{TicketId: cpt.GetId()})
		requireCode(t, err, codes.NotFound)
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.tickets WHERE id = $1 AND status = 'open'`, cpt.GetId()))
	})
	t.Run("another citizen of the same tenant cannot Get it", func(t *testing.T) {
		_, err := h.public.GetTicket(citizen(t, "CPT", "c2"), &ticketv1.GetTicketRequest{Id: cpt.GetId()})
		requireCode(t, err, codes.NotFound)
	})
	t.Run("a platform admin lists every tenant and may narrow to one", func(t *testing.T) {
		require.ElementsMatch(t, []string{cpt.GetId(), jhb.GetId()}, h.listAll(t, admin(t), &ticketv1.ListTicketsRequest{}))
		require.Equal(t, []string{jhb.GetId()}, h.listAll(t, admin(t), &ticketv1.ListTicketsRequest{Tenant: "JHB"}))
	})
	t.Run("row-level security hides other tenants even from an unfiltered query", func(t *testing.T) {
		var n int
		err := pg.InTx(context.Background(), h.pool, pg.Scope{Tenant: "JHB", Subject: "x", Roles: []string{"agent"}}, func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT count(*) FROM ticket.tickets`).Scan(&n)
		})
		require.NoError(t, err)
		require.Equal(t, 1, n)
		err = pg.InTx(context.Background(), h.pool, pg.Scope{Tenant: "JHB", Subject: "x", Roles: []string{"agent"}}, func(tx pgx.Tx) error {
			_, err := tx.Exec(context.Background(), `UPDATE ticket.tickets SET status = 'closed' WHERE id = $1`, cpt.GetId())
			return err
		})
		require.NoError(t, err)
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.tickets WHERE id = $1 AND status = 'open'`, cpt.GetId()))
	})
}
