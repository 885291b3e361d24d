package server_test

import (
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

func TestCreateTicket(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := citizen(t, "CPT", "cit-1")

	t.Run("a new ticket comes back open with a reference and queued routing and SLA work", func(t *testing.T) {
		tk := h.create(t, ctx, newTicket(commonv1.Category_CATEGORY_WATER, "Burst pipe on the corner"))
		require.Regexp(t, regexp.MustCompile(`^CPT-20\d\d-\d{6}$`), tk.GetReference())
		require.Equal(t, commonv1.TicketStatus_TICKET_STATUS_OPEN, tk.GetStatus())
		require.Equal(t, "cit-1", tk.GetReporterSubject())
		require.InDelta(t, -33.9249, tk.GetLocation().GetLatitude(), 1e-9)
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.route_ticket' AND args->>'ticket_id' = $1`, tk.GetId()))
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.sla_event' AND args->>'ticket_id' = $1`, tk.GetId()))
	})

	t.Run("20 concurrent identical requests create one ticket", func(t *testing.T) {
		req := newTicket(commonv1.Category_CATEGORY_ROADS, "Pothole")
		req.IdempotencyKey = "key-concurrent"
		ids := make([]string, 20)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() {
				resp, err := h.public.CreateTicket(ctx, proto.Clone(req).(*ticketv1.CreateTicketRequest))
				if err == nil {
					ids[i] = resp.GetTicket().GetId()
				}
			})
		}
		wg.Wait()
		for _, id := range ids {
			require.Equal(t, ids[0], id)
		}
		require.NotEmpty(t, ids[0])
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.tickets WHERE description = 'Pothole'`))
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.idempotency_keys WHERE key = 'key-concurrent' AND ticket_id = $1`, ids[0]))
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.route_ticket' AND args->>'ticket_id' = $1`, ids[0]))
	})

	t.Run("concurrent creates of one tenant get distinct readable references", func(t *testing.T) {
		refs := make([]string, 20)
		var wg sync.WaitGroup
		for i := range refs {
			wg.Go(func() {
				resp, err := h.public.CreateTicket(ctx, newTicket(commonv1.Category_CATEGORY_ELECTRICITY, "Street light out"))
				if err == nil {
					refs[i] = resp.GetTicket().GetReference()
				}
			})
		}
		wg.Wait()
		seen := map[string]bool{}
		for _, ref := range refs {
			require.Regexp(t, regexp.MustCompile(`^CPT-20\d\d-\d{6}$`), ref)
			require.False(t, seen[ref], "reference %s handed out twice", ref)
			seen[ref] = true
		}
	})

	t.Run("the Idempotency-Key metadata works like the field", func(t *testing.T) {
		mctx := metadata.AppendToOutgoingContext(ctx, "idempotency-key", "hdr-1")
		first := h.create(t, mctx, newTicket(commonv1.Category_CATEGORY_WASTE, "Bins not collected"))
		again := h.create(t, mctx, newTicket(commonv1.Category_CATEGORY_WASTE, "Bins not collected"))
		require.Equal(t, first.GetId(), again.GetId())
		req := newTicket(commonv1.Category_CATEGORY_WASTE, "Different text")
		req.IdempotencyKey = "hdr-1"
		_, err := h.public.CreateTicket(ctx, req)
		requireCode(t, err, codes.AlreadyExists)
	})

	t.Run("a tenant other than the caller's is refused", func(t *testing.T) {
		req := newTicket(commonv1.Category_CATEGORY_WATER, "Leak")
		req.Tenant = "JHB"
		_, err := h.public.CreateTicket(ctx, req)
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("a service token may not use the public API", func(t *testing.T) {
		_, err := h.public.CreateTicket(service(t), newTicket(commonv1.Category_CATEGORY_WATER, "Leak"))
		requireCode(t, err, codes.PermissionDenied)
	})
}

func TestCreateTicketRefusesBadInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := citizen(t, "CPT", "cit-1")
	cases := []struct {
		name  string
		edit  func(r *ticketv1.CreateTicketRequest)
		field string
	}{
		{"a 10 MB description is refused", func(r *ticketv1.CreateTicketRequest) { r.Description = strings.Repeat("a", 10<<20) }, "description"},
		{"an empty description is refused", func(r *ticketv1.CreateTicketRequest) { r.Description = "  " }, "description"},
		{"control characters are refused", func(r *ticketv1.CreateTicketRequest) { r.Address = "a\x00b" }, "address"},
		{"a missing category is refused", func(r *ticketv1.CreateTicketRequest) { r.Category = 0 }, "category"},
		{"an out-of-range category is refused", func(r *ticketv1.CreateTicketRequest) { r.Category = 99 }, "category"},
		{"a missing location is refused", func(r *ticketv1.CreateTicketRequest) { r.Location = nil }, "location"},
		{"a point outside South Africa is refused", func(r *ticketv1.CreateTicketRequest) {
			r.Location = &commonv1.LatLng{Latitude: 51.5, Longitude: -0.12}
		}, "location.latitude"},
		{"a latitude beyond 90 is refused", func(r *ticketv1.CreateTicketRequest) {
			r.Location = &commonv1.LatLng{Latitude: 91, Longitude: 18}
		}, "location.latitude"},
		{"a 501-character address is refused", func(r *ticketv1.CreateTicketRequest) { r.Address = strings.Repeat("x", 501) }, "address"},
		{"a junk phone number is refused", func(r *ticketv1.CreateTicketRequest) { r.Reporter.Phone = "call me" }, "reporter.phone"},
		{"a junk email is refused", func(r *ticketv1.CreateTicketRequest) { r.Reporter.Email = "not-an-email" }, "reporter.email"},
		{"a 201-character name is refused", func(r *ticketv1.CreateTicketRequest) { r.Reporter.Name = strings.Repeat("n", 201) }, "reporter.name"},
		{"a 129-character idempotency key is refused", func(r *ticketv1.CreateTicketRequest) { r.IdempotencyKey = strings.Repeat("k", 129) }, "idempotency_key"},
		{"an unknown channel is refused", func(r *ticketv1.CreateTicketRequest) { r.Channel = 42 }, "channel"},
		{"a phone that is not E.164 after normalising is refused", func(r *ticketv1.CreateTicketRequest) { r.Reporter.Phone = "082 123 456" }, "reporter.phone"},
		{"a South African number of ten digits after +27 is refused", func(r *ticketv1.CreateTicketRequest) { r.Reporter.Phone = "+278212345678" }, "reporter.phone"},
		{"an unknown language is refused", func(r *ticketv1.CreateTicketRequest) {
			r.ReporterPreferences = &commonv1.ReporterPreferences{Language: 9}
		}, "reporter_preferences.language"},
		{"an unknown channel preference is refused", func(r *ticketv1.CreateTicketRequest) {
			r.ReporterPreferences = &commonv1.ReporterPreferences{Channels: []commonv1.ContactChannel{7}}
		}, "reporter_preferences.channels"},
		{"a channel twice is refused", func(r *ticketv1.CreateTicketRequest) {
			r.ReporterPreferences = &commonv1.ReporterPreferences{Channels: []commonv1.ContactChannel{commonv1.ContactChannel_CONTACT_CHANNEL_SMS, commonv1.ContactChannel_CONTACT_CHANNEL_SMS}}
		}, "reporter_preferences.channels"},
		{"email without an address is refused", func(r *ticketv1.CreateTicketRequest) {
			r.Reporter.Email = ""
			r.ReporterPreferences = &commonv1.ReporterPreferences{Channels: []commonv1.ContactChannel{commonv1.ContactChannel_CONTACT_CHANNEL_EMAIL}}
		}, "reporter_preferences.channels"},
		{"a safe channel on a report that is not GBV is refused", func(r *ticketv1.CreateTicketRequest) {
			r.ReporterPreferences = &commonv1.ReporterPreferences{GbvSafeChannel: commonv1.ContactChannel_CONTACT_CHANNEL_SMS}
		}, "reporter_preferences.gbv_safe_channel"},
		{"a GBV safe channel without its contact is refused", func(r *ticketv1.CreateTicketRequest) {
			r.Category, r.Reporter.Phone = commonv1.Category_CATEGORY_GBV, ""
			r.ReporterPreferences = &commonv1.ReporterPreferences{GbvSafeChannel: commonv1.ContactChannel_CONTACT_CHANNEL_WHATSAPP}
		}, "reporter_preferences.gbv_safe_channel"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := newTicket(commonv1.Category_CATEGORY_WATER, "Leak")
			tc.edit(req)
			_, err := h.public.CreateTicket(ctx, req)
			requireField(t, err, tc.field)
		})
	}
	require.Equal(t, 0, h.count(t, `SELECT count(*) FROM ticket.tickets`), "bad input changes nothing")
}

func TestAPhoneIsStoredInE164(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := citizen(t, "CPT", "cit-1")
	for _, tc := range []struct{ typed, stored string }{
		{"0821234567", "+27821234567"},
		{"082 123 4567", "+27821234567"},
		{"(021) 400-1234", "+27214001234"},
		{"27821234567", "+27821234567"},
		{"0027 82 123 4567", "+27821234567"},
		{"+27 82 123 4567", "+27821234567"},
		{"+44 20 7946 0958", "+442079460958"},
	} {
		t.Run(tc.typed+" is stored as "+tc.stored, func(t *testing.T) {
			req := newTicket(commonv1.Category_CATEGORY_WATER, "Leak "+tc.typed)
			req.Reporter.Phone = tc.typed
			tk := h.create(t, ctx, req)
			got, err := h.public.GetTicket(agent(t, "CPT"), &ticketv1.GetTicketRequest{Id: tk.GetId()})
			require.NoError(t, err)
			require.Equal(t, tc.stored, got.GetTicket().GetReporter().GetPhone())
		})
	}
}
