package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/auth"
)

// byJobTenant are the internal RPCs whose request names the tenant of the
// job it carries: each call is about a new ticket id of tenant CPT.
var byJobTenant = map[string]func(ctx context.Context, c clients, id string) error{
	"/salga.sla.v1.SlaInternalService/RecordTicketEvent": func(ctx context.Context, c clients, id string) error {
		_, err := c.internal.RecordTicketEvent(ctx, &slav1.RecordTicketEventRequest{EventId: uuid.NewString(), Tenant: "CPT", TicketId: id,
			Category: commonv1.Category_CATEGORY_WATER, Kind: slav1.TicketEventKind_TICKET_EVENT_KIND_CREATED,
			ToStatus: commonv1.TicketStatus_TICKET_STATUS_OPEN, OccurTime: timestamppb.New(time.Now()), Sequence: 1})
		return err
	},
	"/salga.sla.v1.SlaInternalService/BatchRecordTicketEvents": func(ctx context.Context, c clients, id string) error {
		_, err := c.internal.BatchRecordTicketEvents(ctx, &slav1.BatchRecordTicketEventsRequest{Tenant: "CPT", Requests: []*slav1.RecordTicketEventRequest{{
			EventId: uuid.NewString(), Tenant: "CPT", TicketId: id, Category: commonv1.Category_CATEGORY_WATER,
			Kind: slav1.TicketEventKind_TICKET_EVENT_KIND_CREATED, ToStatus: commonv1.TicketStatus_TICKET_STATUS_OPEN,
			OccurTime: timestamppb.New(time.Now()), Sequence: 1}}})
		return err
	},
	"/salga.sla.v1.SlaInternalService/GetPublicAggregates": func(ctx context.Context, c clients, _ string) error {
		_, err := c.internal.GetPublicAggregates(ctx, &slav1.GetPublicAggregatesRequest{Tenant: "CPT", Period: "2026/27"})
		return err
	},
}

// noJobTenant are the RPCs whose request names no tenant of a job, with the
// reason.
var noJobTenant = map[string]string{
	"/salga.sla.v1.SlaInternalService/RunSweep":        "the sweep of every municipality, run as access.System(\"sla-sweep\") whoever asks",
	"/salga.sla.v1.SlaInternalService/ListClockEvents": "the feed of the token's municipality, or of all as access.System(\"sla-clock-feed\") (TestTheFeedOfOneMunicipalityHoldsOnlyItsEvents)",
	"/salga.sla.v1.SlaService/CreateSlaConfig":         "public: a platform admin's",
	"/salga.sla.v1.SlaService/UpdateSlaConfig":         "public: a platform admin's",
	"/salga.sla.v1.SlaService/DeleteSlaConfig":         "public: a platform admin's",
	"/salga.sla.v1.SlaService/GetSlaConfig":            "public: platform-wide rules",
	"/salga.sla.v1.SlaService/ListSlaConfigs":          "public: platform-wide rules",
	"/salga.sla.v1.SlaService/ListSlaConfigChanges":    "public: platform-wide rules",
	"/salga.sla.v1.SlaService/ListSlaConfigVersions":   "public: platform-wide rules",
	"/salga.sla.v1.SlaService/ResolveSlaPolicy":        "public: platform-wide rules",
	"/salga.sla.v1.SlaService/CreateCalendar":          "public: a platform admin's",
	"/salga.sla.v1.SlaService/UpdateCalendar":          "public: a platform admin's",
	"/salga.sla.v1.SlaService/GetCalendar":             "public: platform-wide rules",
	"/salga.sla.v1.SlaService/ListCalendars":           "public: platform-wide rules",
	"/salga.sla.v1.SlaService/ListCalendarVersions":    "public: platform-wide rules",
	"/salga.sla.v1.SlaService/ListPublicHolidays":      "public: dates of the law",
	"/salga.sla.v1.SlaService/GetTicketClocks":         "public: in the caller's own municipality",
	"/salga.sla.v1.SlaService/ExplainTicketClocks":     "public: in the caller's own municipality",
	"/salga.sla.v1.SlaService/ListAtRiskTickets":       "public: in the caller's own municipality",
	"/salga.sla.v1.SlaService/GetCompliance":           "public: in the caller's own municipality",
	"/salga.sla.v1.SlaService/ListIndicators":          "public: the catalogue, the same for every municipality",
	"/salga.sla.v1.SlaService/GetIndicator":            "public: in the caller's own municipality",
	"/salga.sla.v1.SlaService/ComputeIndicators":       "public: in the caller's own municipality",
	"/salga.sla.v1.SlaService/ListIndicatorTickets":    "public: staff of the caller's own municipality",
	"/salga.sla.v1.SlaService/GetComplianceReport":     "public: in the caller's own municipality",
	"/salga.sla.v1.SlaService/GetBacklogReport":        "public: in the caller's own municipality",
	"/salga.sla.v1.SlaService/GetVolumeReport":         "public: in the caller's own municipality",
	"/salga.sla.v1.SlaService/GetTimingReport":         "public: in the caller's own municipality",
	"/salga.sla.v1.SlaService/CreateReportSchedule":    "public: admins of the caller's own municipality",
	"/salga.sla.v1.SlaService/ListReportSchedules":     "public: in the caller's own municipality",
	"/salga.sla.v1.SlaService/DeleteReportSchedule":    "public: admins of the caller's own municipality",
	"/salga.sla.v1.SlaService/ListReportExports":       "public: in the caller's own municipality",
	"/salga.sla.v1.SlaService/GetReportExport":         "public: in the caller's own municipality",
	"/salga.sla.v1.SlaService/DownloadReportExport":    "public: in the caller's own municipality",
}

// TestAnInternalCallActsOnlyForTheTenantItsTokenNames calls every internal
// RPC that carries a job of CPT with a token for another tenant's job, and
// with a service token for every tenant: each is PermissionDenied and
// changes nothing, while the token for CPT's job passes.
func TestAnInternalCallActsOnlyForTheTenantItsTokenNames(t *testing.T) {
	t.Parallel()
	requireClassified(t, "job tenant", byJobTenant, noJobTenant)
	c := newClients(t)
	for m, call := range byJobTenant {
		refused := map[string]context.Context{
			"a token for JHB's job":           as(t, "JHB", auth.RoleService),
			"a service token for all tenants": as(t, auth.AllTenants, auth.RoleService),
		}
		for name, ctx := range refused {
			t.Run(m+" with "+name, func(t *testing.T) {
				id := uuid.NewString()
				err := call(ctx, c, id)
				require.Equal(t, codes.PermissionDenied, status.Code(err), "%v", err)
				_, err = c.pub.GetTicketClocks(as(t, "CPT", auth.RoleAgent), &slav1.GetTicketClocksRequest{TicketId: id})
				require.Equal(t, codes.NotFound, status.Code(err), "no clocks started: %v", err)
			})
		}
		t.Run(m+" with a token for CPT's job", func(t *testing.T) {
			require.NoError(t, call(as(t, "CPT", auth.RoleService), c, uuid.NewString()))
		})
	}
}

func TestAServiceReadsTheClocksOfTheMunicipalityItsTokenNamesOnly(t *testing.T) {
	t.Parallel()
	c := newClients(t)
	id := uuid.NewString()
	require.NoError(t, byJobTenant["/salga.sla.v1.SlaInternalService/RecordTicketEvent"](as(t, "CPT", auth.RoleService), c, id))
	got, err := c.pub.GetTicketClocks(as(t, "CPT", auth.RoleService), &slav1.GetTicketClocksRequest{TicketId: id})
	require.NoError(t, err)
	require.Len(t, got.GetClocks(), 2)
	for name, ctx := range map[string]context.Context{
		"a token for JHB's job":           as(t, "JHB", auth.RoleService),
		"a service token for all tenants": as(t, auth.AllTenants, auth.RoleService),
	} {
		_, err := c.pub.GetTicketClocks(ctx, &slav1.GetTicketClocksRequest{TicketId: id})
		require.Equal(t, codes.NotFound, status.Code(err), "%s: %v", name, err)
		_, err = c.pub.ListAtRiskTickets(ctx, &slav1.ListAtRiskTicketsRequest{Tenant: "CPT"})
		require.Equal(t, codes.PermissionDenied, status.Code(err), "%s: %v", name, err)
	}
}
