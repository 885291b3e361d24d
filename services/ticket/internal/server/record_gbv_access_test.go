package server_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/server/servertest"
)

// gbvAccess is routing telling that the SAPS liaison of CPT got the opened
// assignment notes of the tickets ids from ListAssignments.
func gbvAccess(ids ...string) *ticketv1.RecordGbvAccessRequest {
	return &ticketv1.RecordGbvAccessRequest{Tenant: "CPT", TicketIds: ids, Subject: "saps-CPT",
		Roles: []string{auth.RoleSAPSLiaison}, Action: "routing.ListAssignments", EventId: uuid.NewString(),
		AccessTime: timestamppb.New(time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC))}
}

func TestAnotherServicesGBVAnswersAreLoggedOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	gbv := h.create(t, citizen(t, "CPT", "victim"), newTicket(commonv1.Category_CATEGORY_GBV, secretText)).GetId()
	other := h.create(t, citizen(t, "CPT", "victim"), newTicket(commonv1.Category_CATEGORY_GBV, secretText)).GetId()
	svc := service(t)
	entries := func(event string) int {
		return h.count(t, `SELECT count(*) FROM ticket.gbv_access_log WHERE event_id = $1`, event)
	}

	t.Run("an answer is one entry per ticket however often it is delivered", func(t *testing.T) {
		req := gbvAccess(gbv, other)
		for i, want := range []bool{true, false, false} {
			r, err := h.internal.RecordGbvAccess(svc, req)
			require.NoError(t, err)
			require.Equal(t, want, r.GetApplied(), "delivery %d", i+1)
		}
		require.Equal(t, 2, entries(req.GetEventId()))
		log, err := h.public.ListGbvAccessLog(admin(t), &ticketv1.ListGbvAccessLogRequest{TicketId: gbv})
		require.NoError(t, err)
		require.NotEmpty(t, log.GetEntries())
		got := log.GetEntries()[0]
		require.Equal(t, "CPT", got.GetTenant())
		require.Equal(t, "saps-CPT", got.GetSubject())
		require.Equal(t, []string{auth.RoleSAPSLiaison}, got.GetRoles())
		require.Equal(t, "routing.ListAssignments", got.GetAction())
		require.True(t, req.GetAccessTime().AsTime().Equal(got.GetCreateTime().AsTime()), "the entry is dated when the answer was given")
	})
	t.Run("concurrent deliveries of one answer record it once", func(t *testing.T) {
		req := gbvAccess(gbv)
		var wg sync.WaitGroup
		applied := make(chan bool, 8)
		for range 8 {
			wg.Go(func() {
				r, err := h.internal.RecordGbvAccess(svc, req)
				if err == nil {
					applied <- r.GetApplied()
				}
			})
		}
		wg.Wait()
		close(applied)
		var n, yes int
		for ok := range applied {
			n++
			if ok {
				yes++
			}
		}
		require.Equal(t, 8, n, "every delivery succeeds")
		require.Equal(t, 1, yes, "one delivery applies")
		require.Equal(t, 1, entries(req.GetEventId()))
	})
	t.Run("bad input is refused by field and records nothing", func(t *testing.T) {
		before := h.count(t, `SELECT count(*) FROM ticket.gbv_access_log`)
		many := make([]string, 1001)
		for i := range many {
			many[i] = uuid.NewString()
		}
		tests := []struct {
			name  string
			edit  func(*ticketv1.RecordGbvAccessRequest)
			field string
		}{
			{"no tenant", func(r *ticketv1.RecordGbvAccessRequest) { r.Tenant = "" }, "tenant"},
			{"a tenant that is not a municipality code", func(r *ticketv1.RecordGbvAccessRequest) { r.Tenant = "cpt;" }, "tenant"},
			{"no tickets", func(r *ticketv1.RecordGbvAccessRequest) { r.TicketIds = nil }, "ticket_ids"},
			{"more than 1000 tickets", func(r *ticketv1.RecordGbvAccessRequest) { r.TicketIds = many }, "ticket_ids"},
			{"a ticket id that is not a UUID", func(r *ticketv1.RecordGbvAccessRequest) { r.TicketIds = []string{gbv, "x"} }, "ticket_ids"},
			{"a ticket named twice", func(r *ticketv1.RecordGbvAccessRequest) { r.TicketIds = []string{gbv, gbv} }, "ticket_ids"},
			{"no subject", func(r *ticketv1.RecordGbvAccessRequest) { r.Subject = "" }, "subject"},
			{"a subject with control characters", func(r *ticketv1.RecordGbvAccessRequest) { r.Subject = "saps\x00" }, "subject"},
			{"a subject over 200 characters", func(r *ticketv1.RecordGbvAccessRequest) { r.Subject = strings.Repeat("s", 201) }, "subject"},
			{"no roles", func(r *ticketv1.RecordGbvAccessRequest) { r.Roles = nil }, "roles"},
			{"an unknown role", func(r *ticketv1.RecordGbvAccessRequest) { r.Roles = []string{"saps_liaison", "root"} }, "roles"},
			{"no action", func(r *ticketv1.RecordGbvAccessRequest) { r.Action = "" }, "action"},
			{"an action that is not service.RPC", func(r *ticketv1.RecordGbvAccessRequest) { r.Action = "read the notes" }, "action"},
			{"an event id that is not a UUID", func(r *ticketv1.RecordGbvAccessRequest) { r.EventId = "x" }, "event_id"},
			{"no access time", func(r *ticketv1.RecordGbvAccessRequest) { r.AccessTime = nil }, "access_time"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req := gbvAccess(gbv)
				tt.edit(req)
				_, err := h.internal.RecordGbvAccess(svc, req)
				requireField(t, err, tt.field)
			})
		}
		require.Equal(t, before, h.count(t, `SELECT count(*) FROM ticket.gbv_access_log`))
	})
	t.Run("only services may record, and the gateway's identity may not", func(t *testing.T) {
		before := h.count(t, `SELECT count(*) FROM ticket.gbv_access_log`)
		for name, ctx := range map[string]context.Context{
			"the tenant's SAPS liaison": saps(t, "CPT"),
			"an agent":                  agent(t, "CPT"),
			"a platform admin":          admin(t),
			"the gateway":               servertest.WithToken(context.Background(), servertest.GatewayToken(t, "CPT")),
		} {
			t.Run(name, func(t *testing.T) {
				_, err := h.internal.RecordGbvAccess(ctx, gbvAccess(gbv))
				requireCode(t, err, codes.PermissionDenied)
			})
		}
		require.Equal(t, before, h.count(t, `SELECT count(*) FROM ticket.gbv_access_log`))
	})
}
