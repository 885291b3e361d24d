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
	"github.com/salga/trustengine/libs/server/servertest"
)

// seen is what one answer showed of the GBV tickets: how many it counted
// outside withheld cells, and whether it showed a ward's cell of fewer than
// 5 of them.
type seen struct {
	gbv       int64
	smallCell bool
}

const (
	smallWard = "W-SMALL" // 3 GBV tickets: withheld from everyone
	bigWard   = "W-BIG"   // 6 GBV tickets
	period    = "2026-08"
)

// gbvCell reads one row: category, ward, its count and whether it is withheld.
func gbvCell(s *seen, cat commonv1.Category, ward string, n int64, suppressed bool) {
	if cat != commonv1.Category_CATEGORY_GBV || suppressed {
		return
	}
	s.gbv += n
	if ward == smallWard {
		s.smallCell = true
	}
}

var byWard = []slav1.ReportDimension{slav1.ReportDimension_REPORT_DIMENSION_CATEGORY, slav1.ReportDimension_REPORT_DIMENSION_WARD}

// reportCalls are the SLA RPCs that answer with counts of tickets, each
// asked for CPT's August 2026 by category and ward where it can group so.
var reportCalls = map[string]func(ctx context.Context, c clients) (seen, error){
	"/salga.sla.v1.SlaService/GetComplianceReport": func(ctx context.Context, c clients) (seen, error) {
		var s seen
		res, err := c.pub.GetComplianceReport(ctx, &slav1.GetComplianceReportRequest{Tenant: "CPT", Period: period, GroupBy: byWard})
		for _, r := range res.GetRows() {
			gbvCell(&s, r.GetCategory(), r.GetWardCode(), r.GetTickets(), r.GetSuppressed())
		}
		return s, err
	},
	"/salga.sla.v1.SlaService/GetVolumeReport": func(ctx context.Context, c clients) (seen, error) {
		var s seen
		res, err := c.pub.GetVolumeReport(ctx, &slav1.GetVolumeReportRequest{Tenant: "CPT", Period: period, GroupBy: byWard})
		for _, r := range res.GetRows() {
			gbvCell(&s, r.GetCategory(), r.GetWardCode(), r.GetTickets(), r.GetSuppressed())
		}
		return s, err
	},
	"/salga.sla.v1.SlaService/GetBacklogReport": func(ctx context.Context, c clients) (seen, error) {
		var s seen
		res, err := c.pub.GetBacklogReport(ctx, &slav1.GetBacklogReportRequest{Tenant: "CPT", GroupBy: byWard})
		for _, r := range res.GetRows() {
			gbvCell(&s, r.GetCategory(), r.GetWardCode(), r.GetOpen(), r.GetSuppressed())
		}
		return s, err
	},
	"/salga.sla.v1.SlaService/GetTimingReport": func(ctx context.Context, c clients) (seen, error) {
		var s seen
		res, err := c.pub.GetTimingReport(ctx, &slav1.GetTimingReportRequest{Tenant: "CPT", Period: period, GroupBy: byWard})
		for _, r := range res.GetRows() {
			gbvCell(&s, r.GetCategory(), r.GetWardCode(), r.GetResponded(), r.GetSuppressed())
		}
		return s, err
	},
	"/salga.sla.v1.SlaService/GetCompliance": func(ctx context.Context, c clients) (seen, error) {
		var s seen
		res, err := c.pub.GetCompliance(ctx, &slav1.GetComplianceRequest{Tenant: "CPT",
			StartTime: timestamppb.New(time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)), EndTime: timestamppb.New(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))})
		for _, r := range res.GetRows() {
			gbvCell(&s, r.GetCategory(), "", int64(r.GetMetOnTime()+r.GetMetLate()+r.GetOpenOverdue()+r.GetOpenOnTrack()), false)
		}
		return s, err
	},
	// Indicators count no GBV: every denominator of GG2.31 (every
	// category but GBV) is the 2 water tickets.
	"/salga.sla.v1.SlaService/ComputeIndicators": func(ctx context.Context, c clients) (seen, error) {
		var s seen
		res, err := c.pub.ComputeIndicators(ctx, &slav1.ComputeIndicatorsRequest{Tenant: "CPT", Period: period,
			Codes: []string{"GG2.31"}, GroupBy: []slav1.ReportDimension{slav1.ReportDimension_REPORT_DIMENSION_WARD}})
		for _, r := range res.GetRows() {
			s.gbv += r.GetDenominator()
		}
		s.gbv -= 2
		if err != nil {
			s.gbv = 0
		}
		return s, err
	},
	"/salga.sla.v1.SlaService/GetIndicator": func(ctx context.Context, c clients) (seen, error) {
		res, err := c.pub.GetIndicator(ctx, &slav1.GetIndicatorRequest{Tenant: "CPT", Period: period, Code: "GG2.31"})
		if err != nil {
			return seen{}, err
		}
		return seen{gbv: res.GetValue().GetDenominator() - 2}, nil
	},
	"/salga.sla.v1.SlaService/ListIndicatorTickets": func(ctx context.Context, c clients) (seen, error) {
		var s seen
		res, err := c.pub.ListIndicatorTickets(ctx, &slav1.ListIndicatorTicketsRequest{Tenant: "CPT", Period: period, Code: "GG2.31"})
		for _, r := range res.GetTickets() {
			gbvCell(&s, r.GetCategory(), r.GetWardCode(), 1, false)
		}
		return s, err
	},
	"/salga.sla.v1.SlaInternalService/GetPublicAggregates": func(ctx context.Context, c clients) (seen, error) {
		var s seen
		res, err := c.internal.GetPublicAggregates(ctx, &slav1.GetPublicAggregatesRequest{Tenant: "CPT", Period: period, ByWard: true})
		for _, r := range res.GetRows() {
			gbvCell(&s, r.GetCategory(), r.GetWardCode(), r.GetTickets(), false)
		}
		return s, err
	},
}

// noTicketCounts are the SLA RPCs that answer with no counts of tickets
// grouped by category or ward, with the reason.
var noTicketCounts = map[string]string{
	"/salga.sla.v1.SlaService/CreateSlaConfig":                 "policies",
	"/salga.sla.v1.SlaService/UpdateSlaConfig":                 "policies",
	"/salga.sla.v1.SlaService/DeleteSlaConfig":                 "policies",
	"/salga.sla.v1.SlaService/GetSlaConfig":                    "policies",
	"/salga.sla.v1.SlaService/ListSlaConfigs":                  "policies",
	"/salga.sla.v1.SlaService/ListSlaConfigChanges":            "changes of policies",
	"/salga.sla.v1.SlaService/ListSlaConfigVersions":           "policies",
	"/salga.sla.v1.SlaService/ResolveSlaPolicy":                "policies",
	"/salga.sla.v1.SlaService/CreateCalendar":                  "calendars",
	"/salga.sla.v1.SlaService/UpdateCalendar":                  "calendars",
	"/salga.sla.v1.SlaService/GetCalendar":                     "calendars",
	"/salga.sla.v1.SlaService/ListCalendarVersions":            "calendars",
	"/salga.sla.v1.SlaService/ListCalendars":                   "calendars",
	"/salga.sla.v1.SlaService/ListPublicHolidays":              "holidays",
	"/salga.sla.v1.SlaService/GetTicketClocks":                 "one ticket's clocks: TestGBVClocksAreOnlyForWhoMaySeeGBV's rule",
	"/salga.sla.v1.SlaService/ExplainTicketClocks":             "one ticket's clocks, as GetTicketClocks",
	"/salga.sla.v1.SlaService/ListAtRiskTickets":               "tickets, GBV only for CanSeeGBV (TestTicketEventsSweepAndReadsOverGRPC)",
	"/salga.sla.v1.SlaService/ListIndicators":                  "the catalogue",
	"/salga.sla.v1.SlaService/CreateReportSchedule":            "a schedule",
	"/salga.sla.v1.SlaService/ListReportSchedules":             "schedules",
	"/salga.sla.v1.SlaService/DeleteReportSchedule":            "nothing",
	"/salga.sla.v1.SlaService/ListReportExports":               "names and sizes of files",
	"/salga.sla.v1.SlaService/GetReportExport":                 "a file produced as System without GBV (TestAScheduledReportIsProducedOnceWhenItsPeriodEnds)",
	"/salga.sla.v1.SlaService/DownloadReportExport":            "a file produced as System without GBV, as GetReportExport",
	"/salga.sla.v1.SlaInternalService/RecordTicketEvent":       "a ticket's clocks to the service that sent the event",
	"/salga.sla.v1.SlaInternalService/RunSweep":                "counts of warnings and breaches of a sweep",
	"/salga.sla.v1.SlaInternalService/BatchRecordTicketEvents": "whether each event applied, to the service that sent them",
	"/salga.sla.v1.SlaInternalService/ListClockEvents":         "events to services only",
}

// reportRoles are every kind of caller, with whether it may count GBV
// (libs/access CanCountGBV) and whether it may call the staff reports.
var reportRoles = []struct {
	name            string
	ctx             func(t *testing.T) context.Context
	countsGBV, read bool
}{
	{"a citizen", func(t *testing.T) context.Context { return as(t, "CPT", auth.RoleCitizen) }, false, false},
	{"an agent", func(t *testing.T) context.Context { return as(t, "CPT", auth.RoleAgent) }, false, true},
	{"a team manager", func(t *testing.T) context.Context { return as(t, "CPT", auth.RoleTeamManager) }, false, true},
	{"a municipal admin", func(t *testing.T) context.Context { return as(t, "CPT", auth.RoleMunicipalAdmin) }, false, true},
	{"the SAPS liaison", func(t *testing.T) context.Context { return as(t, "CPT", auth.RoleSAPSLiaison) }, true, true},
	{"another municipality's SAPS liaison", func(t *testing.T) context.Context { return as(t, "JHB", auth.RoleSAPSLiaison) }, false, false},
	{"a platform admin", func(t *testing.T) context.Context { return as(t, "*", auth.RolePlatformAdmin) }, true, true},
	{"a service for CPT", func(t *testing.T) context.Context { return as(t, "CPT", auth.RoleService) }, true, true},
	{"the gateway", func(t *testing.T) context.Context {
		return servertest.WithToken(context.Background(), servertest.GatewayToken(t, "CPT"))
	}, false, false},
}

// TestNoReportLeaksGBVToARoleThatMayNotCountItNorASmallWardCellToAnyone
// asks every SLA RPC that counts tickets, as every kind of caller, over a
// month of CPT holding 3 GBV tickets in one ward, 6 in another and 2 water
// tickets: GBV counts reach only the SAPS liaison, platform admins and
// services; the ward of 3 is withheld from all of them; indicators and the
// public figures never count GBV.
func TestNoReportLeaksGBVToARoleThatMayNotCountItNorASmallWardCellToAnyone(t *testing.T) {
	t.Parallel()
	requireClassified(t, "GBV in counts", reportCalls, noTicketCounts)
	c := newClients(t)
	svc := as(t, "CPT", auth.RoleService)
	at := timestamppb.New(time.Date(2026, 8, 3, 8, 0, 0, 0, time.UTC))
	create := func(cat commonv1.Category, ward string) {
		_, err := c.internal.RecordTicketEvent(svc, &slav1.RecordTicketEventRequest{EventId: uuid.NewString(), Tenant: "CPT",
			TicketId: uuid.NewString(), Category: cat, Kind: slav1.TicketEventKind_TICKET_EVENT_KIND_CREATED,
			ToStatus: commonv1.TicketStatus_TICKET_STATUS_OPEN, OccurTime: at, Sequence: 1, WardCode: ward})
		require.NoError(t, err)
	}
	for range 3 {
		create(commonv1.Category_CATEGORY_GBV, smallWard)
	}
	for range 6 {
		create(commonv1.Category_CATEGORY_GBV, bigWard)
	}
	create(commonv1.Category_CATEGORY_WATER, smallWard)
	create(commonv1.Category_CATEGORY_WATER, bigWard)

	for m, call := range reportCalls {
		for _, r := range reportRoles {
			t.Run(m+" as "+r.name, func(t *testing.T) {
				got, err := call(r.ctx(t), c)
				if err != nil {
					require.Equal(t, codes.PermissionDenied, status.Code(err), "%v", err)
					require.False(t, mayCall(m, r.name, r.read), "%s may call %s: %v", r.name, m, err)
					return
				}
				require.True(t, mayCall(m, r.name, r.read), "%s may not call %s", r.name, m)
				require.False(t, got.smallCell, "a ward's cell of 3 GBV tickets is withheld from everyone")
				switch {
				case m == "/salga.sla.v1.SlaInternalService/GetPublicAggregates", m == "/salga.sla.v1.SlaService/ComputeIndicators",
					m == "/salga.sla.v1.SlaService/GetIndicator", m == "/salga.sla.v1.SlaService/ListIndicatorTickets":
					require.Zero(t, got.gbv, "GBV is in no indicator and no public figure")
				case !r.countsGBV:
					require.Zero(t, got.gbv, "%s counts no GBV", r.name)
				case m == "/salga.sla.v1.SlaService/GetTimingReport":
					require.Zero(t, got.gbv, "no GBV ticket was responded to")
				case m == "/salga.sla.v1.SlaService/GetCompliance":
					// GetCompliance groups by category only, for CanSeeGBV.
				default:
					require.Equal(t, int64(6), got.gbv, "%s counts the ward of 6", r.name)
				}
			})
		}
	}
}

// mayCall is who may call a counting RPC: the gateway and services the
// public figures, staff (not services) the drill-down, and staff,
// platform admins and services the rest.
func mayCall(method, role string, read bool) bool {
	switch method {
	case "/salga.sla.v1.SlaInternalService/GetPublicAggregates":
		return role == "the gateway" || role == "a service for CPT"
	case "/salga.sla.v1.SlaService/ListIndicatorTickets":
		return read && role != "a service for CPT"
	}
	return read
}
