package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/server/servertest"
	"github.com/salga/trustengine/services/sla/internal/app"
	"github.com/salga/trustengine/services/sla/internal/outbox"
	"github.com/salga/trustengine/services/sla/internal/server"
	"github.com/salga/trustengine/services/sla/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func setup(ctx context.Context, pool *pgxpool.Pool) error {
	if err := pg.Migrate(ctx, pool, "sla", migrations.FS); err != nil {
		return err
	}
	return queue.Migrate(ctx, pool, outbox.Schema)
}

type clients struct {
	pub      slav1.SlaServiceClient
	internal slav1.SlaInternalServiceClient
	pool     *pgxpool.Pool
	app      *app.App
}

// fold adds the report deltas recorded so far to the report cells, as the
// service's loop does every SLA_REPORT_FOLD_INTERVAL.
func (c clients) fold(t *testing.T) {
	t.Helper()
	_, err := c.app.FoldReports(context.Background())
	require.NoError(t, err)
}

func newClients(t *testing.T) clients {
	t.Helper()
	pool := pgtest.NewDB(t, "slasrv", setup)
	jobs, err := outbox.NewQueue(pool, nil, outbox.Peers{})
	require.NoError(t, err)
	a := app.New(pool, outbox.NewEnqueuer(jobs), 100)
	conn := servertest.Bufconn(t, server.New(a).Register)
	return clients{pub: slav1.NewSlaServiceClient(conn), internal: slav1.NewSlaInternalServiceClient(conn), pool: pool, app: a}
}

func as(t *testing.T, tenant string, roles ...string) context.Context {
	return servertest.WithToken(context.Background(), servertest.Token(t, auth.Claims{Subject: "u-" + tenant, Tenant: tenant, Roles: roles}))
}

func TestConfigWritesNeedPlatformAdminAndValidInput(t *testing.T) {
	t.Parallel()
	c := newClients(t)
	good := &slav1.SlaConfig{Municipality: "CPT", Category: commonv1.Category_CATEGORY_WATER, ResponseHours: 0.001}
	tests := []struct {
		name string
		ctx  context.Context
		cfg  *slav1.SlaConfig
		code codes.Code
	}{
		{"a municipal admin may not create a policy", as(t, "CPT", auth.RoleMunicipalAdmin), good, codes.PermissionDenied},
		{"a citizen may not create a policy", as(t, "CPT", auth.RoleCitizen), good, codes.PermissionDenied},
		{"negative hours are refused", as(t, "*", auth.RolePlatformAdmin), &slav1.SlaConfig{ResolutionHours: -1}, codes.InvalidArgument},
		{"a threshold of 100 is refused", as(t, "*", auth.RolePlatformAdmin), &slav1.SlaConfig{WarningThresholdPct: 100}, codes.InvalidArgument},
		{"a bad municipality code is refused", as(t, "*", auth.RolePlatformAdmin), &slav1.SlaConfig{Municipality: "cape town"}, codes.InvalidArgument},
		{"a platform admin creates a policy with defaults filled in", as(t, "*", auth.RolePlatformAdmin), good, codes.OK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.pub.CreateSlaConfig(tt.ctx, &slav1.CreateSlaConfigRequest{Config: tt.cfg})
			require.Equal(t, tt.code, status.Code(err), "%v", err)
		})
	}
	res, err := c.pub.ResolveSlaPolicy(as(t, "CPT", auth.RoleAgent), &slav1.ResolveSlaPolicyRequest{Municipality: "CPT", Category: commonv1.Category_CATEGORY_WATER})
	require.NoError(t, err)
	require.Equal(t, "municipality_category", res.GetMatched())
	require.Equal(t, 168.0, res.GetConfig().GetResolutionHours())
	require.Equal(t, int32(80), res.GetConfig().GetWarningThresholdPct())
	res, err = c.pub.ResolveSlaPolicy(as(t, "CPT", auth.RoleAgent), &slav1.ResolveSlaPolicyRequest{Municipality: "CPT", Category: commonv1.Category_CATEGORY_GBV})
	require.NoError(t, err)
	require.Equal(t, "built_in", res.GetMatched())
	require.Equal(t, 1.0, res.GetConfig().GetResponseHours())
}

func TestCalendarsAndHolidaysOverGRPC(t *testing.T) {
	t.Parallel()
	c := newClients(t)
	admin := as(t, "*", auth.RolePlatformAdmin)
	_, err := c.pub.CreateCalendar(admin, &slav1.CreateCalendarRequest{Calendar: &slav1.Calendar{Name: "office",
		Intervals: []*slav1.BusinessInterval{{Weekday: slav1.Weekday_WEEKDAY_MONDAY, Start: "08:00", End: "25:00"}}}})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	cal, err := c.pub.CreateCalendar(admin, &slav1.CreateCalendarRequest{Calendar: &slav1.Calendar{Name: "office", SouthAfricanHolidays: true,
		Intervals: []*slav1.BusinessInterval{{Weekday: slav1.Weekday_WEEKDAY_MONDAY, Start: "08:00", End: "24:00"}}}})
	require.NoError(t, err)
	require.Equal(t, "Africa/Johannesburg", cal.GetCalendar().GetTimeZone())
	up, err := c.pub.UpdateCalendar(admin, &slav1.UpdateCalendarRequest{Calendar: &slav1.Calendar{Id: cal.GetCalendar().GetId(), Name: "office hours"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"name"}}})
	require.NoError(t, err)
	require.Equal(t, "office hours", up.GetCalendar().GetName())
	list, err := c.pub.ListCalendars(as(t, "CPT", auth.RoleTeamManager), &slav1.ListCalendarsRequest{})
	require.NoError(t, err)
	require.Len(t, list.GetCalendars(), 1)
	hols, err := c.pub.ListPublicHolidays(as(t, "CPT", auth.RoleCitizen), &slav1.ListPublicHolidaysRequest{Year: 2023})
	require.NoError(t, err)
	require.Equal(t, "2023-01-02", hols.GetHolidays()[1].GetDate())
	_, err = c.pub.ListPublicHolidays(as(t, "CPT", auth.RoleCitizen), &slav1.ListPublicHolidaysRequest{Year: 1990})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}

func TestTicketEventsSweepAndReadsOverGRPC(t *testing.T) {
	t.Parallel()
	c := newClients(t)
	svc := as(t, "CPT", auth.RoleService)
	water, gbv := uuid.NewString(), uuid.NewString()
	past := timestamppb.New(time.Now().Add(-2 * time.Hour))
	for id, cat := range map[string]commonv1.Category{water: commonv1.Category_CATEGORY_WATER, gbv: commonv1.Category_CATEGORY_GBV} {
		res, err := c.internal.RecordTicketEvent(svc, &slav1.RecordTicketEventRequest{EventId: uuid.NewString(), Tenant: "CPT", TicketId: id,
			Category: cat, Kind: slav1.TicketEventKind_TICKET_EVENT_KIND_CREATED, ToStatus: commonv1.TicketStatus_TICKET_STATUS_OPEN,
			OccurTime: past, Sequence: 1})
		require.NoError(t, err)
		require.True(t, res.GetApplied())
		require.Len(t, res.GetClocks(), 2)
	}
	_, err := c.internal.RecordTicketEvent(as(t, "CPT", auth.RoleAgent), &slav1.RecordTicketEventRequest{})
	require.Equal(t, codes.PermissionDenied, status.Code(err), "internal RPCs are for services only")
	_, err = c.internal.RecordTicketEvent(svc, &slav1.RecordTicketEventRequest{EventId: "x"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))

	sw, err := c.internal.RunSweep(svc, &slav1.RunSweepRequest{})
	require.NoError(t, err)
	require.Equal(t, int32(1), sw.GetWarnings(), "the gbv response clock warned; water is untouched")
	require.Equal(t, int32(2), sw.GetBreaches(), "gbv response steps 1 and 2")

	_, err = c.pub.GetTicketClocks(as(t, "CPT", auth.RoleAgent), &slav1.GetTicketClocksRequest{TicketId: gbv})
	require.Equal(t, codes.NotFound, status.Code(err), "agents never see GBV clocks")
	got, err := c.pub.GetTicketClocks(as(t, "CPT", auth.RoleSAPSLiaison), &slav1.GetTicketClocksRequest{TicketId: gbv})
	require.NoError(t, err)
	require.Equal(t, slav1.ClockState_CLOCK_STATE_BREACHED, got.GetClocks()[0].GetState())
	require.Len(t, got.GetEvents(), 3)
	_, err = c.pub.GetTicketClocks(as(t, "JHB", auth.RoleSAPSLiaison), &slav1.GetTicketClocksRequest{TicketId: gbv})
	require.Equal(t, codes.NotFound, status.Code(err), "another tenant sees nothing")

	risk, err := c.pub.ListAtRiskTickets(as(t, "CPT", auth.RoleSAPSLiaison), &slav1.ListAtRiskTicketsRequest{IncludeBreached: true})
	require.NoError(t, err)
	require.Len(t, risk.GetTickets(), 1)
	require.Less(t, risk.GetTickets()[0].GetTimeToBreach().AsDuration(), time.Duration(0))
	risk, err = c.pub.ListAtRiskTickets(as(t, "CPT", auth.RoleTeamManager), &slav1.ListAtRiskTicketsRequest{IncludeBreached: true})
	require.NoError(t, err)
	require.Empty(t, risk.GetTickets(), "GBV is excluded for other roles")
	_, err = c.pub.ListAtRiskTickets(as(t, "CPT", auth.RoleTeamManager), &slav1.ListAtRiskTicketsRequest{Tenant: "JHB"})
	require.Equal(t, codes.PermissionDenied, status.Code(err))

	comp, err := c.pub.GetCompliance(as(t, "CPT", auth.RoleSAPSLiaison), &slav1.GetComplianceRequest{})
	require.NoError(t, err)
	require.Len(t, comp.GetRows(), 2)
	for _, r := range comp.GetRows() {
		if r.GetCategory() == commonv1.Category_CATEGORY_GBV {
			require.Equal(t, 0.0, r.GetResponseOnTimeRatio(), "the GBV response clock is open and overdue")
		} else {
			require.Equal(t, 1.0, r.GetOnTimeRatio())
			require.Equal(t, int32(1), r.GetOpenOnTrack())
		}
	}
}

func TestRuleHistoryAndClockExplanationsOverGRPC(t *testing.T) {
	t.Parallel()
	c := newClients(t)
	admin, agent := as(t, "*", auth.RolePlatformAdmin), as(t, "CPT", auth.RoleAgent)
	cal, err := c.pub.CreateCalendar(admin, &slav1.CreateCalendarRequest{Calendar: &slav1.Calendar{Name: "office",
		Intervals: []*slav1.BusinessInterval{{Weekday: slav1.Weekday_WEEKDAY_MONDAY, Start: "08:00", End: "17:00"}}}})
	require.NoError(t, err)
	require.Equal(t, int64(1), cal.GetCalendar().GetVersion())
	id := cal.GetCalendar().GetId()
	up, err := c.pub.UpdateCalendar(admin, &slav1.UpdateCalendarRequest{Id: id, Calendar: &slav1.Calendar{AlwaysOpen: true},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"always_open"}}})
	require.NoError(t, err)
	require.Equal(t, int64(2), up.GetCalendar().GetVersion())
	vs, err := c.pub.ListCalendarVersions(agent, &slav1.ListCalendarVersionsRequest{CalendarId: id})
	require.NoError(t, err)
	require.Len(t, vs.GetVersions(), 2)
	require.False(t, vs.GetVersions()[1].GetCalendar().GetAlwaysOpen(), "version 1 as it was")
	require.Equal(t, "u-*", vs.GetVersions()[0].GetChangedBy())

	cfg, err := c.pub.CreateSlaConfig(admin, &slav1.CreateSlaConfigRequest{Config: &slav1.SlaConfig{Municipality: "CPT",
		Category: commonv1.Category_CATEGORY_WATER, ResponseHours: 10, ResolutionHours: 20, CalendarId: id}})
	require.NoError(t, err)
	_, err = c.pub.DeleteSlaConfig(admin, &slav1.DeleteSlaConfigRequest{Id: cfg.GetConfig().GetId()})
	require.NoError(t, err)
	cv, err := c.pub.ListSlaConfigVersions(agent, &slav1.ListSlaConfigVersionsRequest{ConfigId: cfg.GetConfig().GetId()})
	require.NoError(t, err)
	require.Len(t, cv.GetVersions(), 2)
	require.True(t, cv.GetVersions()[0].GetDeleted(), "the deletion is the last version")

	svc := as(t, "CPT", auth.RoleService)
	gbv := uuid.NewString()
	_, err = c.internal.RecordTicketEvent(svc, &slav1.RecordTicketEventRequest{EventId: uuid.NewString(), Tenant: "CPT", TicketId: gbv,
		Category: commonv1.Category_CATEGORY_GBV, Kind: slav1.TicketEventKind_TICKET_EVENT_KIND_CREATED,
		ToStatus: commonv1.TicketStatus_TICKET_STATUS_OPEN, OccurTime: timestamppb.New(time.Now().Add(-time.Minute)), Sequence: 1})
	require.NoError(t, err)
	ex, err := c.pub.ExplainTicketClocks(as(t, "CPT", auth.RoleSAPSLiaison), &slav1.ExplainTicketClocksRequest{TicketId: gbv})
	require.NoError(t, err)
	require.Len(t, ex.GetClocks(), 2)
	open := ex.GetClocks()[0].GetSegments()
	require.Len(t, open, 1, "the running segment")
	require.Equal(t, slav1.SegmentEndReason_SEGMENT_END_REASON_UNSPECIFIED, open[0].GetEndReason())
	require.GreaterOrEqual(t, open[0].GetElapsed().AsDuration(), time.Minute)

	tests := []struct {
		name string
		call func() error
		code codes.Code
	}{
		{"an agent may not see a GBV ticket's clocks explained", func() error {
			_, err := c.pub.ExplainTicketClocks(agent, &slav1.ExplainTicketClocksRequest{TicketId: gbv})
			return err
		}, codes.NotFound},
		{"another tenant's liaison sees nothing", func() error {
			_, err := c.pub.ExplainTicketClocks(as(t, "JHB", auth.RoleSAPSLiaison), &slav1.ExplainTicketClocksRequest{TicketId: gbv})
			return err
		}, codes.NotFound},
		{"a citizen may not explain clocks", func() error {
			_, err := c.pub.ExplainTicketClocks(as(t, "CPT", auth.RoleCitizen), &slav1.ExplainTicketClocksRequest{TicketId: gbv})
			return err
		}, codes.PermissionDenied},
		{"a ticket id must be a UUID", func() error {
			_, err := c.pub.ExplainTicketClocks(agent, &slav1.ExplainTicketClocksRequest{TicketId: "x"})
			return err
		}, codes.InvalidArgument},
		{"a calendar id must be a UUID", func() error {
			_, err := c.pub.ListCalendarVersions(agent, &slav1.ListCalendarVersionsRequest{CalendarId: "x"})
			return err
		}, codes.InvalidArgument},
		{"an unknown calendar has no versions", func() error {
			_, err := c.pub.ListCalendarVersions(agent, &slav1.ListCalendarVersionsRequest{CalendarId: uuid.NewString()})
			return err
		}, codes.NotFound},
		{"a citizen may not list policy versions", func() error {
			_, err := c.pub.ListSlaConfigVersions(as(t, "CPT", auth.RoleCitizen), &slav1.ListSlaConfigVersionsRequest{ConfigId: cfg.GetConfig().GetId()})
			return err
		}, codes.PermissionDenied},
		{"an unknown policy has no versions", func() error {
			_, err := c.pub.ListSlaConfigVersions(agent, &slav1.ListSlaConfigVersionsRequest{ConfigId: uuid.NewString()})
			return err
		}, codes.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.code, status.Code(tt.call()))
		})
	}
}

func TestTheClockEventFeedIsForServicesOnly(t *testing.T) {
	t.Parallel()
	c := newClients(t)
	// A job of CPT records the event; the feed is read across every
	// municipality, as notifications will.
	job, svc := as(t, "CPT", auth.RoleService), as(t, "*", auth.RoleService)
	gbv := uuid.NewString()
	_, err := c.internal.RecordTicketEvent(job, &slav1.RecordTicketEventRequest{EventId: uuid.NewString(), Tenant: "CPT", TicketId: gbv,
		Category: commonv1.Category_CATEGORY_GBV, Kind: slav1.TicketEventKind_TICKET_EVENT_KIND_CREATED,
		ToStatus: commonv1.TicketStatus_TICKET_STATUS_OPEN, OccurTime: timestamppb.New(time.Now().Add(-50 * time.Minute)), Sequence: 1})
	require.NoError(t, err)
	_, err = c.internal.RunSweep(svc, &slav1.RunSweepRequest{})
	require.NoError(t, err)
	var feed *slav1.ListClockEventsResponse
	require.Eventually(t, func() bool {
		feed, err = c.internal.ListClockEvents(svc, &slav1.ListClockEventsRequest{})
		return err == nil && len(feed.GetEvents()) == 1
	}, 10*time.Second, 20*time.Millisecond)
	ev := feed.GetEvents()[0]
	require.Equal(t, slav1.ClockEventKind_CLOCK_EVENT_KIND_WARNING, ev.GetKind())
	require.Equal(t, "CPT", ev.GetTenant())
	require.Equal(t, gbv, ev.GetTicketId())
	require.Equal(t, int32(1), ev.GetStep())
	require.NotEmpty(t, ev.GetEventId())
	require.NotNil(t, ev.GetDeadline())
	again, err := c.internal.ListClockEvents(svc, &slav1.ListClockEventsRequest{After: feed.GetNextCursor()})
	require.NoError(t, err)
	require.Empty(t, again.GetEvents())
	require.Equal(t, feed.GetNextCursor(), again.GetNextCursor())

	tests := []struct {
		name string
		ctx  context.Context
		req  *slav1.ListClockEventsRequest
		code codes.Code
	}{
		{"a SAPS liaison may not read the feed", as(t, "CPT", auth.RoleSAPSLiaison), &slav1.ListClockEventsRequest{}, codes.PermissionDenied},
		{"a platform admin may not read the feed", as(t, "*", auth.RolePlatformAdmin), &slav1.ListClockEventsRequest{}, codes.PermissionDenied},
		{"a cursor not handed out is refused", svc, &slav1.ListClockEventsRequest{After: "1;drop"}, codes.InvalidArgument},
		{"a negative cursor is refused", svc, &slav1.ListClockEventsRequest{After: "1.-5"}, codes.InvalidArgument},
		{"a page over 1000 is refused", svc, &slav1.ListClockEventsRequest{PageSize: 1001}, codes.InvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.internal.ListClockEvents(tt.ctx, tt.req)
			require.Equal(t, tt.code, status.Code(err), "%v", err)
		})
	}
}

func TestTheFeedOfOneMunicipalityHoldsOnlyItsEvents(t *testing.T) {
	t.Parallel()
	c := newClients(t)
	tickets := map[string]string{"CPT": uuid.NewString(), "JHB": uuid.NewString()}
	for tenant, id := range tickets {
		_, err := c.internal.RecordTicketEvent(as(t, tenant, auth.RoleService), &slav1.RecordTicketEventRequest{EventId: uuid.NewString(),
			Tenant: tenant, TicketId: id, Category: commonv1.Category_CATEGORY_GBV, Kind: slav1.TicketEventKind_TICKET_EVENT_KIND_CREATED,
			ToStatus: commonv1.TicketStatus_TICKET_STATUS_OPEN, OccurTime: timestamppb.New(time.Now().Add(-50 * time.Minute)), Sequence: 1})
		require.NoError(t, err)
	}
	sw, err := c.internal.RunSweep(as(t, "CPT", auth.RoleService), &slav1.RunSweepRequest{})
	require.NoError(t, err)
	require.Equal(t, int32(2), sw.GetWarnings(), "the sweep runs for every municipality, whoever asks")
	read := func(tenant string) []*slav1.ClockEvent {
		feed, err := c.internal.ListClockEvents(as(t, tenant, auth.RoleService), &slav1.ListClockEventsRequest{})
		require.NoError(t, err)
		return feed.GetEvents()
	}
	require.Eventually(t, func() bool { return len(read(auth.AllTenants)) == 2 }, 10*time.Second, 20*time.Millisecond,
		"a token for every municipality reads every one's events")
	for tenant, id := range tickets {
		evs := read(tenant)
		require.Len(t, evs, 1, "a token for %s reads its events only", tenant)
		require.Equal(t, tenant, evs[0].GetTenant())
		require.Equal(t, id, evs[0].GetTicketId())
	}
}

func TestBatchRecordTicketEventsAppliesEachLikeItsOwnCallInOneTransaction(t *testing.T) {
	t.Parallel()
	c := newClients(t)
	svc := as(t, "CPT", auth.RoleService)
	a, b, r := uuid.NewString(), uuid.NewString(), uuid.NewString()
	at := timestamppb.New(time.Now().Add(-time.Hour))
	created := func(id, event string, cat commonv1.Category) *slav1.RecordTicketEventRequest {
		return &slav1.RecordTicketEventRequest{EventId: event, Tenant: "CPT", TicketId: id, Category: cat,
			Kind: slav1.TicketEventKind_TICKET_EVENT_KIND_CREATED, ToStatus: commonv1.TicketStatus_TICKET_STATUS_OPEN, OccurTime: at, Sequence: 1}
	}
	started := func(id string) *slav1.RecordTicketEventRequest {
		return &slav1.RecordTicketEventRequest{EventId: uuid.NewString(), Tenant: "CPT", TicketId: id, Category: commonv1.Category_CATEGORY_WATER,
			Kind: slav1.TicketEventKind_TICKET_EVENT_KIND_STATUS_CHANGED, FromStatus: commonv1.TicketStatus_TICKET_STATUS_OPEN,
			ToStatus: commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, FirstResponse: true, OccurTime: timestamppb.Now(), Sequence: 2}
	}
	count := func(sql string, args ...any) int {
		var n int
		require.NoError(t, c.pool.QueryRow(context.Background(), sql, args...).Scan(&n))
		return n
	}
	aCreated := uuid.NewString()
	// a's status change is sent before its creation, and a's creation is
	// redelivered: the batch applies a ticket's events in order of sequence,
	// each once.
	res, err := c.internal.BatchRecordTicketEvents(svc, &slav1.BatchRecordTicketEventsRequest{Tenant: "CPT", Requests: []*slav1.RecordTicketEventRequest{
		started(a), created(a, aCreated, commonv1.Category_CATEGORY_WATER), created(b, uuid.NewString(), commonv1.Category_CATEGORY_WATER),
		created(r, uuid.NewString(), commonv1.Category_CATEGORY_ROADS), created(a, aCreated, commonv1.Category_CATEGORY_WATER)}})
	require.NoError(t, err)
	require.Equal(t, []bool{true, true, true, true, false}, res.GetApplied())
	require.Equal(t, 6, count(`SELECT count(*) FROM sla.clocks WHERE ticket_id = ANY($1)`, []string{a, b, r}), "two clocks per ticket")
	require.Equal(t, 1, count(`SELECT count(*) FROM sla.tickets WHERE ticket_id = $1 AND status = 'in_progress'`, a))
	// The report cells moved once per cell, by every ticket's change.
	c.fold(t)
	require.Equal(t, 3, count(`SELECT sum(tickets) FROM sla.report_daily_totals WHERE tenant = 'CPT'`))
	require.Equal(t, 2, count(`SELECT sum(tickets) FROM sla.report_daily_totals WHERE tenant = 'CPT' AND category = 'water'`))
	require.Equal(t, 1, count(`SELECT sum(responded) FROM sla.report_daily_totals WHERE tenant = 'CPT'`))
	require.Equal(t, 3, count(`SELECT sum(tickets) FROM sla.report_daily WHERE tenant = 'CPT'`))

	t.Run("a batch with an item that fails changes nothing", func(t *testing.T) {
		d, e := uuid.NewString(), uuid.NewString()
		_, err := c.internal.BatchRecordTicketEvents(svc, &slav1.BatchRecordTicketEventsRequest{Tenant: "CPT",
			Requests: []*slav1.RecordTicketEventRequest{created(d, uuid.NewString(), commonv1.Category_CATEGORY_WATER), started(e)}})
		require.Equal(t, codes.FailedPrecondition, status.Code(err), "%v", err)
		require.Zero(t, count(`SELECT count(*) FROM sla.clocks WHERE ticket_id = $1`, d), "the creation before the refused change rolled back")
		require.Equal(t, 3, count(`SELECT sum(tickets) FROM sla.report_daily_totals WHERE tenant = 'CPT'`))
	})
	t.Run("an item of another tenant is refused by its field", func(t *testing.T) {
		other := created(uuid.NewString(), uuid.NewString(), commonv1.Category_CATEGORY_WATER)
		other.Tenant = "JHB"
		_, err := c.internal.BatchRecordTicketEvents(svc, &slav1.BatchRecordTicketEventsRequest{Tenant: "CPT",
			Requests: []*slav1.RecordTicketEventRequest{other}})
		require.Equal(t, codes.InvalidArgument, status.Code(err))
		require.Contains(t, err.Error(), "requests[0].tenant")
	})
}

// TestAChangeWaitsForItsTicketsCreationRecordedAtTheSameTime: the events
// of one ticket are recorded one transaction after the other, so a batch
// with a ticket's change that arrives while another call is still
// recording the ticket's creation waits for it and applies, instead of
// failing for want of clocks (and every item of its batch going alone).
func TestAChangeWaitsForItsTicketsCreationRecordedAtTheSameTime(t *testing.T) {
	t.Parallel()
	c := newClients(t)
	ctx := context.Background()
	svc := as(t, "CPT", auth.RoleService)
	id := uuid.NewString()
	created := &slav1.RecordTicketEventRequest{EventId: uuid.NewString(), Tenant: "CPT", TicketId: id, Category: commonv1.Category_CATEGORY_WATER,
		Kind: slav1.TicketEventKind_TICKET_EVENT_KIND_CREATED, ToStatus: commonv1.TicketStatus_TICKET_STATUS_OPEN,
		OccurTime: timestamppb.New(time.Now().Add(-time.Minute)), Sequence: 1}
	started := &slav1.RecordTicketEventRequest{EventId: uuid.NewString(), Tenant: "CPT", TicketId: id, Category: commonv1.Category_CATEGORY_WATER,
		Kind: slav1.TicketEventKind_TICKET_EVENT_KIND_STATUS_CHANGED, FromStatus: commonv1.TicketStatus_TICKET_STATUS_OPEN,
		ToStatus: commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, FirstResponse: true, OccurTime: timestamppb.Now(), Sequence: 2}
	other := uuid.NewString()
	otherCreated := proto.Clone(created).(*slav1.RecordTicketEventRequest)
	otherCreated.EventId, otherCreated.TicketId = uuid.NewString(), other

	// The ticket's lock is held elsewhere, so the creation's call waits on
	// it first and the batch with the change after it, as two deliveries
	// that overlap would.
	holder, err := c.pool.Begin(ctx)
	require.NoError(t, err)
	defer holder.Rollback(ctx) //nolint:errcheck // ended below
	_, err = holder.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, int32(0x736c6174), id)
	require.NoError(t, err)
	waiting := func(n int) {
		require.Eventually(t, func() bool {
			var got int
			require.NoError(t, c.pool.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
				AND classid = $1::bigint::oid`, int64(0x736c6174)).Scan(&got))
			return got == n
		}, 10*time.Second, 10*time.Millisecond, "%d calls wait for the ticket's lock", n)
	}
	createErr := make(chan error, 1)
	go func() {
		_, err := c.internal.RecordTicketEvent(svc, created)
		createErr <- err
	}()
	waiting(1)
	type batchResult struct {
		res *slav1.BatchRecordTicketEventsResponse
		err error
	}
	changeRes := make(chan batchResult, 1)
	go func() {
		res, err := c.internal.BatchRecordTicketEvents(svc, &slav1.BatchRecordTicketEventsRequest{Tenant: "CPT",
			Requests: []*slav1.RecordTicketEventRequest{otherCreated, started}})
		changeRes <- batchResult{res, err}
	}()
	waiting(2)
	require.NoError(t, holder.Rollback(ctx))

	require.NoError(t, <-createErr)
	got := <-changeRes
	require.NoError(t, got.err, "the change waited for the creation")
	require.Equal(t, []bool{true, true}, got.res.GetApplied())
	var state string
	require.NoError(t, c.pool.QueryRow(ctx, `SELECT status FROM sla.tickets WHERE ticket_id = $1`, id).Scan(&state))
	require.Equal(t, "in_progress", state)
}
