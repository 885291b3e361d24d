package server_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

func TestPublicRPCsNeverShowGBVAndFileReportsLikeCitizens(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	svc := service(t)
	client := uuid.NewString()
	submit := func(cat commonv1.Category, desc string) (*ticketv1.SubmitPublicReportResponse, error) {
		return h.internal.SubmitPublicReport(svc, &ticketv1.SubmitPublicReportRequest{
			Tenant: "CPT", ClientId: client, Category: cat, Description: desc, Location: capeTown,
			MediaUrl: "https://img.example.org/a.jpg", Attributes: map[string]string{"severity": "high"},
		})
	}
	water, err := submit(commonv1.Category_CATEGORY_WATER, "Burst pipe")
	require.NoError(t, err)
	gbv, err := submit(commonv1.Category_CATEGORY_GBV, "private report")
	require.NoError(t, err)
	h.create(t, citizen(t, "JHB", "c1"), &ticketv1.CreateTicketRequest{Tenant: "JHB", Category: commonv1.Category_CATEGORY_ROADS,
		Description: "Pothole", Location: capeTown})

	t.Run("a filed report is an open311 ticket of the client with its media", func(t *testing.T) {
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.tickets WHERE id = $1 AND channel = 'open311'
			AND reporter_subject = $2 AND media_url = 'https://img.example.org/a.jpg' AND attributes->>'severity' = 'high'`,
			water.GetId(), "open311:"+client))
	})
	t.Run("a filed GBV report is sealed with no plaintext content", func(t *testing.T) {
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.tickets WHERE id = $1 AND sealed IS NOT NULL
			AND description = '' AND media_url = '' AND attributes = '{}'`, gbv.GetId()))
	})
	t.Run("the public list shows the tenant's non-GBV tickets only", func(t *testing.T) {
		resp, err := h.internal.ListPublicTickets(svc, &ticketv1.ListPublicTicketsRequest{Tenant: "CPT"})
		require.NoError(t, err)
		require.Len(t, resp.GetTickets(), 1)
		require.Equal(t, water.GetId(), resp.GetTickets()[0].GetId())
		// A client's media URL is kept, never published: what it points at
		// may carry anything. Photos are published as cleaned attachments.
		require.NotContains(t, protojson.Format(resp), "img.example.org")
	})
	t.Run("asking for a GBV ticket by id or category finds nothing", func(t *testing.T) {
		resp, err := h.internal.ListPublicTickets(svc, &ticketv1.ListPublicTicketsRequest{Tenant: "CPT",
			Ids: []string{gbv.GetId()}, Categories: []commonv1.Category{commonv1.Category_CATEGORY_GBV}})
		require.NoError(t, err)
		require.Empty(t, resp.GetTickets())
		_, err = h.internal.GetPublicTicket(svc, &ticketv1.GetPublicTicketRequest{Tenant: "CPT", Id: gbv.GetId()})
		require.Equal(t, codes.NotFound, status.Code(err))
	})
	t.Run("public notes come with the ticket and internal ones do not", func(t *testing.T) {
		for vis, body := range map[ticketv1.NoteVisibility]string{
			ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC:   "Crew on the way",
			ticketv1.NoteVisibility_NOTE_VISIBILITY_INTERNAL: "staff only",
		} {
			_, err := h.public.AddTicketNote(agent(t, "CPT"), &ticketv1.AddTicketNoteRequest{TicketId: water.GetId(), Visibility: vis, Body: body})
			require.NoError(t, err)
		}
		resp, err := h.internal.GetPublicTicket(svc, &ticketv1.GetPublicTicketRequest{Tenant: "CPT", Id: water.GetId(), IncludeNotes: true})
		require.NoError(t, err)
		require.Len(t, resp.GetTicket().GetNotes(), 1)
		require.Equal(t, "Crew on the way", resp.GetTicket().GetNotes()[0].GetBody())
	})
	bad := []struct {
		name, field string
		req         *ticketv1.SubmitPublicReportRequest
	}{
		{"a report without a location is refused", "location", &ticketv1.SubmitPublicReportRequest{Tenant: "CPT", ClientId: client,
			Category: commonv1.Category_CATEGORY_WATER, Description: "x"}},
		{"a report with a non-http media URL is refused", "media_url", &ticketv1.SubmitPublicReportRequest{Tenant: "CPT", ClientId: client,
			Category: commonv1.Category_CATEGORY_WATER, Description: "x", Location: capeTown, MediaUrl: "javascript:alert(1)"}},
		{"a report without a client is refused", "client_id", &ticketv1.SubmitPublicReportRequest{Tenant: "CPT",
			Category: commonv1.Category_CATEGORY_WATER, Description: "x", Location: capeTown}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			before := h.count(t, `SELECT count(*) FROM ticket.tickets`)
			_, err := h.internal.SubmitPublicReport(svc, tt.req)
			require.Equal(t, codes.InvalidArgument, status.Code(err))
			require.Contains(t, status.Convert(err).Message(), tt.field)
			require.Equal(t, before, h.count(t, `SELECT count(*) FROM ticket.tickets`))
		})
	}
	t.Run("public RPCs need the service role", func(t *testing.T) {
		_, err := h.internal.ListPublicTickets(agent(t, "CPT"), &ticketv1.ListPublicTicketsRequest{Tenant: "CPT"})
		require.Equal(t, codes.PermissionDenied, status.Code(err))
	})
}
