package server_test

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/server/servertest"
)

// cityHall is Cape Town City Hall on Darling Street, where a burst main is
// reported again and again.
var cityHall = &commonv1.LatLng{Latitude: -33.92530, Longitude: 18.42370}

// offset is the point metres north and east of p (a flat approximation,
// close enough over a few hundred metres).
func offset(p *commonv1.LatLng, north, east float64) *commonv1.LatLng {
	return &commonv1.LatLng{Latitude: p.GetLatitude() + north/111320,
		Longitude: p.GetLongitude() + east/(111320*math.Cos(p.GetLatitude()*math.Pi/180))}
}

// report files a ticket of category at loc as a citizen of CPT.
func (h *harness) report(t *testing.T, sub string, cat commonv1.Category, loc *commonv1.LatLng) *ticketv1.CreateTicketResponse {
	t.Helper()
	req := newTicket(cat, "Burst main flooding Darling Street")
	req.Location = loc
	resp, err := h.public.CreateTicket(citizen(t, "CPT", sub), req)
	require.NoError(t, err)
	return resp
}

func (h *harness) nearby(t *testing.T, ctx context.Context, req *ticketv1.ListNearbyTicketsRequest) *ticketv1.ListNearbyTicketsResponse {
	t.Helper()
	resp, err := h.public.ListNearbyTickets(ctx, req)
	require.NoError(t, err)
	return resp
}

func TestFortyReportsOfOneBurstMainBecomeOneParentWithThirtyNineLinkedChildren(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff := agent(t, "CPT")
	// Forty residents report within 100 m of City Hall: the first at the
	// door, the others on a spiral out to 95 m.
	var ids []string
	for i := range 40 {
		r := float64(i) * 95 / 39
		a := float64(i) * 2.4
		resp := h.report(t, fmt.Sprintf("resident-%02d", i), commonv1.Category_CATEGORY_WATER, offset(cityHall, r*math.Sin(a), r*math.Cos(a)))
		if i > 0 {
			dups := resp.GetLikelyDuplicates()
			require.NotEmpty(t, dups, "report %d is offered the ones before it", i)
			require.LessOrEqual(t, len(dups), 5)
			for j := 1; j < len(dups); j++ {
				require.LessOrEqual(t, dups[j-1].GetDistanceMeters(), dups[j].GetDistanceMeters(), "nearest first")
			}
		}
		ids = append(ids, resp.GetTicket().GetId())
	}
	parent := ids[0]
	// Staff find the parent nearby and link the others to it.
	found := h.nearby(t, staff, &ticketv1.ListNearbyTicketsRequest{Location: cityHall, Category: commonv1.Category_CATEGORY_WATER, PageSize: 50})
	require.Len(t, found.GetTickets(), 40, "every report is within staff's 1,000 m")
	require.Equal(t, 1000.0, found.GetRadiusMeters())
	require.Equal(t, parent, found.GetTickets()[0].GetId(), "the report at the door is nearest")
	for _, id := range ids[1:] {
		resp, err := h.public.LinkDuplicate(staff, &ticketv1.LinkDuplicateRequest{Id: id, ParentId: parent, Reason: "same burst main"})
		require.NoError(t, err)
		require.Equal(t, closed, resp.GetTicket().GetStatus())
		require.Equal(t, parent, resp.GetTicket().GetDuplicateOf())
	}
	got, err := h.public.GetTicket(staff, &ticketv1.GetTicketRequest{Id: parent})
	require.NoError(t, err)
	require.EqualValues(t, 39, got.GetTicket().GetLinkedCount())
	require.EqualValues(t, 39, got.GetTicket().GetFollowerCount(), "each child's reporter follows the parent")
	require.Equal(t, commonv1.Priority_PRIORITY_P1_CRITICAL, got.GetTicket().GetPriority(),
		"a water report (P3) raised twice by 5 and 20 linked reports")
	require.Equal(t, open, got.GetTicket().GetStatus())
	require.Equal(t, 39, h.count(t, `SELECT count(*) FROM ticket.tickets WHERE duplicate_of = $1 AND status = 'closed'`, parent))
	require.Equal(t, 39, h.count(t, `SELECT count(*) FROM ticket.followers WHERE ticket_id = $1 AND source = 'duplicate'`, parent))
	require.Equal(t, 39, h.count(t, `SELECT count(*) FROM ticket.history WHERE ticket_id = $1 AND kind = 'duplicate_added'`, parent))
	// Each child's clocks stop: its SLA event is a move to closed.
	require.Equal(t, 39, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.sla_event'
		AND args->>'to' = 'closed' AND args->>'ticket_id' = ANY($1)`, ids[1:]))
	// The nearby list now shows the parent alone, with its count.
	after := h.nearby(t, staff, &ticketv1.ListNearbyTicketsRequest{Location: cityHall, Category: commonv1.Category_CATEGORY_WATER, PageSize: 50})
	require.Len(t, after.GetTickets(), 1)
	require.EqualValues(t, 39, after.GetTickets()[0].GetLinkedCount())
	// Both histories show the link.
	hist, err := h.public.GetTicketHistory(staff, &ticketv1.GetTicketHistoryRequest{TicketId: ids[7]})
	require.NoError(t, err)
	last := hist.GetEntries()[len(hist.GetEntries())-1]
	require.Equal(t, "duplicate_linked", last.GetKind())
	require.Equal(t, closed, last.GetToStatus())
	require.Contains(t, last.GetDetail(), parent)
	require.Equal(t, "same burst main", last.GetReason())
	phist, err := h.public.GetTicketHistory(staff, &ticketv1.GetTicketHistoryRequest{TicketId: parent})
	require.NoError(t, err)
	require.True(t, hasEntry(phist.GetEntries(), "duplicate_added", ids[7]))
	require.True(t, hasEntry(phist.GetEntries(), "priority_changed", "p3_medium -> p2_high"))
}

func hasEntry(es []*ticketv1.HistoryEntry, kind, detail string) bool {
	for _, e := range es {
		if e.GetKind() == kind && strings.Contains(e.GetDetail(), detail) {
			return true
		}
	}
	return false
}

func TestNearbyTicketsComeNearestFirstAndNeverIncludeGBV(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	at := func(m float64) *commonv1.LatLng { return offset(cityHall, m, 0) }
	far := h.report(t, "r1", commonv1.Category_CATEGORY_WATER, at(200)).GetTicket().GetId()
	near := h.report(t, "r2", commonv1.Category_CATEGORY_WATER, at(20)).GetTicket().GetId()
	mid := h.report(t, "r3", commonv1.Category_CATEGORY_WATER, at(90)).GetTicket().GetId()
	outside := h.report(t, "r4", commonv1.Category_CATEGORY_WATER, at(600)).GetTicket().GetId()
	road := h.report(t, "r5", commonv1.Category_CATEGORY_ROADS, at(10)).GetTicket().GetId()
	gbv := h.report(t, "r6", commonv1.Category_CATEGORY_GBV, at(5)).GetTicket().GetId()
	cancelledID := h.report(t, "r7", commonv1.Category_CATEGORY_WATER, at(30)).GetTicket().GetId()
	_, err := h.public.UpdateTicketStatus(agent(t, "CPT"), &ticketv1.UpdateTicketStatusRequest{Id: cancelledID, Status: cancelled, Reason: "test"})
	require.NoError(t, err)
	// Resolved recently shows; resolved 31 days ago does not.
	recent := h.report(t, "r8", commonv1.Category_CATEGORY_WATER, at(40)).GetTicket().GetId()
	old := h.report(t, "r9", commonv1.Category_CATEGORY_WATER, at(50)).GetTicket().GetId()
	for _, id := range []string{recent, old} {
		for _, s := range []commonv1.TicketStatus{working, resolved} {
			_, err := h.public.UpdateTicketStatus(agent(t, "CPT"), &ticketv1.UpdateTicketStatusRequest{Id: id, Status: s, Reason: "fixed"})
			require.NoError(t, err)
		}
	}
	_, err = h.pool.Exec(context.Background(), `UPDATE ticket.tickets SET resolve_time = now() - interval '31 days' WHERE id = $1`, old)
	require.NoError(t, err)
	// Another municipality's ticket at the same place.
	jhb := newTicket(commonv1.Category_CATEGORY_WATER, "Leak")
	jhb.Location = at(15)
	_, err = h.public.CreateTicket(citizen(t, "JHB", "j1"), jhb)
	require.NoError(t, err)

	ids := func(r *ticketv1.ListNearbyTicketsResponse) []string {
		var out []string
		for _, n := range r.GetTickets() {
			out = append(out, n.GetId())
			require.NotEqual(t, cancelled, n.GetStatus())
		}
		return out
	}
	q := func(cat commonv1.Category) *ticketv1.ListNearbyTicketsRequest {
		return &ticketv1.ListNearbyTicketsRequest{Location: cityHall, Category: cat, PageSize: 50}
	}
	t.Run("a resident gets 250 m, nearest first, of the category, open or recently resolved", func(t *testing.T) {
		got := h.nearby(t, citizen(t, "CPT", "someone"), q(commonv1.Category_CATEGORY_WATER))
		require.Equal(t, 250.0, got.GetRadiusMeters())
		require.Equal(t, []string{near, recent, mid, far}, ids(got))
		require.InDelta(t, 20, got.GetTickets()[0].GetDistanceMeters(), 1)
	})
	t.Run("staff get 1,000 m", func(t *testing.T) {
		got := h.nearby(t, agent(t, "CPT"), q(commonv1.Category_CATEGORY_WATER))
		require.Equal(t, []string{near, recent, mid, far, outside}, ids(got))
	})
	t.Run("five by default", func(t *testing.T) {
		req := q(commonv1.Category_CATEGORY_WATER)
		req.PageSize = 0
		req.RadiusMeters = 5000
		require.Len(t, h.nearby(t, agent(t, "CPT"), req).GetTickets(), 5)
	})
	t.Run("an agent never sees a GBV ticket, whatever the category asked", func(t *testing.T) {
		for _, cat := range []commonv1.Category{commonv1.Category_CATEGORY_GBV, commonv1.Category_CATEGORY_WATER, commonv1.Category_CATEGORY_ROADS} {
			got := h.nearby(t, agent(t, "CPT"), q(cat))
			require.NotContains(t, ids(got), gbv)
		}
		require.Equal(t, []string{road}, ids(h.nearby(t, agent(t, "CPT"), q(commonv1.Category_CATEGORY_ROADS))))
	})
	t.Run("a GBV query gets no suggestions, even for the SAPS liaison", func(t *testing.T) {
		got := h.nearby(t, saps(t, "CPT"), q(commonv1.Category_CATEGORY_GBV))
		require.Empty(t, got.GetTickets())
		require.Zero(t, got.GetRadiusMeters())
	})
	t.Run("another municipality sees only its own", func(t *testing.T) {
		got := h.nearby(t, agent(t, "JHB"), q(commonv1.Category_CATEGORY_WATER))
		require.Len(t, got.GetTickets(), 1)
		_, err := h.public.ListNearbyTickets(agent(t, "JHB"), &ticketv1.ListNearbyTicketsRequest{Tenant: "CPT", Location: cityHall,
			Category: commonv1.Category_CATEGORY_WATER})
		requireCode(t, err, codes.PermissionDenied)
	})
	t.Run("a GBV report is offered no duplicates", func(t *testing.T) {
		resp := h.report(t, "r10", commonv1.Category_CATEGORY_GBV, at(6))
		require.Empty(t, resp.GetLikelyDuplicates())
	})
	t.Run("a municipality's radius per category, 0 turning it off", func(t *testing.T) {
		mgr := as(t, "CPT", "admin-CPT", auth.RoleMunicipalAdmin)
		_, err := h.public.SetDuplicateSettings(mgr, &ticketv1.SetDuplicateSettingsRequest{Settings: &ticketv1.DuplicateSettings{
			Radii: []*ticketv1.NearbyRadius{
				{Category: commonv1.Category_CATEGORY_WATER, ResidentMeters: 50, StaffMeters: 100},
				{Category: commonv1.Category_CATEGORY_ROADS, ResidentMeters: 0, StaffMeters: 0},
			}}})
		require.NoError(t, err)
		require.Equal(t, []string{near, recent, mid}, ids(h.nearby(t, agent(t, "CPT"), q(commonv1.Category_CATEGORY_WATER))))
		require.Equal(t, []string{near, recent}, ids(h.nearby(t, citizen(t, "CPT", "x"), q(commonv1.Category_CATEGORY_WATER))))
		got := h.nearby(t, agent(t, "CPT"), q(commonv1.Category_CATEGORY_ROADS))
		require.Empty(t, got.GetTickets())
		require.Zero(t, got.GetRadiusMeters())
		// A radius asked for explicitly still works.
		req := q(commonv1.Category_CATEGORY_ROADS)
		req.RadiusMeters = 100
		require.Equal(t, []string{road}, ids(h.nearby(t, agent(t, "CPT"), req)))
	})
}

func TestListNearbyTicketsRefusesBadInputNamingTheField(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff := agent(t, "CPT")
	tests := []struct {
		name  string
		req   *ticketv1.ListNearbyTicketsRequest
		field string
	}{
		{"a radius above 5 km", &ticketv1.ListNearbyTicketsRequest{Location: cityHall, Category: commonv1.Category_CATEGORY_WATER, RadiusMeters: 5001}, "radius_meters"},
		{"a negative radius", &ticketv1.ListNearbyTicketsRequest{Location: cityHall, Category: commonv1.Category_CATEGORY_WATER, RadiusMeters: -1}, "radius_meters"},
		{"a radius that is not a number", &ticketv1.ListNearbyTicketsRequest{Location: cityHall, Category: commonv1.Category_CATEGORY_WATER, RadiusMeters: math.NaN()}, "radius_meters"},
		{"no point", &ticketv1.ListNearbyTicketsRequest{Category: commonv1.Category_CATEGORY_WATER}, "location"},
		{"a point outside South Africa", &ticketv1.ListNearbyTicketsRequest{Location: &commonv1.LatLng{Latitude: 51.5, Longitude: -0.1}, Category: commonv1.Category_CATEGORY_WATER}, "location.latitude"},
		{"no category", &ticketv1.ListNearbyTicketsRequest{Location: cityHall}, "category"},
		{"an unknown category", &ticketv1.ListNearbyTicketsRequest{Location: cityHall, Category: 99}, "category"},
		{"a page over 50", &ticketv1.ListNearbyTicketsRequest{Location: cityHall, Category: commonv1.Category_CATEGORY_WATER, PageSize: 51}, "page_size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := h.public.ListNearbyTickets(staff, tt.req)
			requireField(t, err, tt.field)
		})
	}
}

func TestTheNearbySearchUsesTheGISTIndex(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	// Enough tickets of several categories that a scan would cost more.
	_, err := h.pool.Exec(ctx, `INSERT INTO ticket.tickets (id, tenant, reference, category, status, location, reporter_subject, channel,
			create_time, update_time)
		SELECT gen_random_uuid(), 'CPT', 'CPT-2026-' || lpad(i::text, 6, '0'), (ARRAY['water','roads','electricity','waste'])[1 + i % 4],
			(ARRAY['open','closed','resolved','in_progress'])[1 + (i / 4) % 4],
			ST_SetSRID(ST_MakePoint(18.3 + (i % 300) * 0.001, -34.0 + (i / 300) * 0.001), 4326), 'seed', 'web', now(), now()
		FROM generate_series(1, 30000) i`)
	require.NoError(t, err)
	_, err = h.pool.Exec(ctx, `ANALYZE ticket.tickets`)
	require.NoError(t, err)
	plan := planOf(t, h.pool, `EXPLAIN SELECT t.id FROM ticket.tickets t
		WHERE t.tenant = 'CPT' AND t.category = 'water' AND t.category <> 'gbv' AND t.duplicate_of IS NULL
		  AND t.status IN ('open', 'in_progress', 'awaiting_citizen', 'resolved')
		  AND (t.status <> 'resolved' OR t.resolve_time >= now() - interval '30 days')
		  AND ST_DWithin(geography(t.location), geography(ST_SetSRID(ST_MakePoint(18.42, -33.92), 4326)), 1000, false)
		ORDER BY geography(t.location) <-> geography(ST_SetSRID(ST_MakePoint(18.42, -33.92), 4326)) LIMIT 5`)
	require.Contains(t, strings.Join(plan, "\n"), "tickets_nearby", "the query of ticket.nearby_tickets uses the index:\n%s", strings.Join(plan, "\n"))
	require.Contains(t, strings.Join(plan, "\n"), "Order By: (geography(location) <->",
		"it walks the index nearest first and stops at the limit:\n%s", strings.Join(plan, "\n"))

	// Where the limit falls among reports at one place (here 3,000 at one
	// address), the lowest ids there come from a btree index in id order,
	// not from reading them all.
	_, err = h.pool.Exec(ctx, `INSERT INTO ticket.tickets (id, tenant, reference, category, status, location, reporter_subject, channel,
			create_time, update_time)
		SELECT gen_random_uuid(), 'CPT', 'CPT-2025-' || lpad(i::text, 6, '0'), 'water', 'open',
			ST_SetSRID(ST_MakePoint(18.42, -33.92), 4326), 'seed', 'web', now(), now()
		FROM generate_series(1, 3000) i`)
	require.NoError(t, err)
	_, err = h.pool.Exec(ctx, `ANALYZE ticket.tickets`)
	require.NoError(t, err)
	plan = planOf(t, h.pool, `EXPLAIN SELECT s.id FROM ticket.tickets s
		WHERE s.tenant = 'CPT' AND s.category = 'water' AND s.location = ST_SetSRID(ST_MakePoint(18.42, -33.92), 4326)
		  AND s.category <> 'gbv' AND s.duplicate_of IS NULL
		  AND s.status IN ('open', 'in_progress', 'awaiting_citizen', 'resolved')
		  AND (s.status <> 'resolved' OR s.resolve_time >= now() - interval '30 days')
		ORDER BY s.id LIMIT 5`)
	require.Contains(t, strings.Join(plan, "\n"), "tickets_same_place", "the ties of one place use their index:\n%s", strings.Join(plan, "\n"))
	require.NotContains(t, strings.Join(plan, "\n"), "Sort", "and come in id order from it:\n%s", strings.Join(plan, "\n"))

	// The function's statements run on generic plans, which expect few
	// tickets at any one place: the same index serves them.
	conn, err := h.pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, `SET plan_cache_mode = force_generic_plan`)
	require.NoError(t, err)
	_, err = conn.Exec(ctx, `PREPARE same_place(text, text, geometry, timestamptz, int) AS SELECT s.id FROM ticket.tickets s
		WHERE s.tenant = $1 AND s.category = $2 AND s.location = $3
		  AND s.category <> 'gbv' AND s.duplicate_of IS NULL
		  AND s.status IN ('open', 'in_progress', 'awaiting_citizen', 'resolved')
		  AND (s.status <> 'resolved' OR s.resolve_time >= $4)
		ORDER BY s.id LIMIT $5`)
	require.NoError(t, err)
	plan = planOf(t, conn, `EXPLAIN EXECUTE same_place('CPT', 'water', ST_SetSRID(ST_MakePoint(18.42, -33.92), 4326), now(), 5)`)
	require.Contains(t, strings.Join(plan, "\n"), "tickets_same_place", "a generic plan uses it too:\n%s", strings.Join(plan, "\n"))
	require.NotContains(t, strings.Join(plan, "\n"), "Sort", "a generic plan reads in id order:\n%s", strings.Join(plan, "\n"))
	_, err = conn.Exec(ctx, `DEALLOCATE same_place; RESET plan_cache_mode`)
	require.NoError(t, err)
}

// planOf is the plan Postgres shows for an EXPLAIN statement, one line
// of it per element.
func planOf(t *testing.T, db interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, explain string) []string {
	t.Helper()
	rows, err := db.Query(context.Background(), explain)
	require.NoError(t, err)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return lines
}

func TestNearbyTicketsAtOneDistanceComeInIDOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff := agent(t, "CPT")
	// Eight reports geocoded to the same address, two nearer.
	var same []string
	for range 8 {
		same = append(same, h.report(t, "same", commonv1.Category_CATEGORY_ROADS, offset(cityHall, 50, 0)).GetTicket().GetId())
	}
	near := h.report(t, "near", commonv1.Category_CATEGORY_ROADS, offset(cityHall, 10, 0)).GetTicket().GetId()
	nearer := h.report(t, "nearer", commonv1.Category_CATEGORY_ROADS, offset(cityHall, 5, 0)).GetTicket().GetId()
	slices.Sort(same)
	ids := func(size int32) []string {
		var out []string
		for _, n := range h.nearby(t, staff, &ticketv1.ListNearbyTicketsRequest{Location: cityHall, Category: commonv1.Category_CATEGORY_ROADS,
			PageSize: size}).GetTickets() {
			out = append(out, n.GetId())
		}
		return out
	}
	require.Equal(t, append([]string{nearer, near}, same[:3]...), ids(5), "the limit falls among ties: the lowest ids")
	require.Equal(t, append([]string{nearer, near}, same...), ids(50))
	require.Equal(t, []string{nearer}, ids(1))
}

func TestLinkingRefusesWhatBreaksTheRules(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff := agent(t, "CPT")
	water := func() string {
		return h.report(t, "r-"+uuid.NewString()[:8], commonv1.Category_CATEGORY_WATER, cityHall).GetTicket().GetId()
	}
	link := func(ctx context.Context, child, parent string) error {
		_, err := h.public.LinkDuplicate(ctx, &ticketv1.LinkDuplicateRequest{Id: child, ParentId: parent, Reason: "same"})
		return err
	}
	t.Run("to itself", func(t *testing.T) {
		id := water()
		requireField(t, link(staff, id, id), "parent_id")
	})
	t.Run("across tenants: NotFound, as for a missing id", func(t *testing.T) {
		req := newTicket(commonv1.Category_CATEGORY_WATER, "Leak")
		other, err := h.public.CreateTicket(citizen(t, "JHB", "j"), req)
		require.NoError(t, err)
		requireCode(t, link(staff, water(), other.GetTicket().GetId()), codes.NotFound)
		requireCode(t, link(agent(t, "JHB"), other.GetTicket().GetId(), water()), codes.NotFound)
	})
	t.Run("to a closed or cancelled parent", func(t *testing.T) {
		p := water()
		_, err := h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: p, Status: cancelled, Reason: "x"})
		require.NoError(t, err)
		st := requireCode(t, link(staff, water(), p), codes.FailedPrecondition)
		require.Contains(t, st.Message(), "cancelled")
	})
	t.Run("a parent cannot be a child, and no chains or cycles", func(t *testing.T) {
		a, b, c := water(), water(), water()
		require.NoError(t, link(staff, b, a))
		st := requireCode(t, link(staff, a, c), codes.FailedPrecondition)
		require.Contains(t, st.Message(), "a parent cannot be a duplicate")
		st = requireCode(t, link(staff, c, b), codes.FailedPrecondition)
		require.Contains(t, st.Message(), "itself a duplicate")
		st = requireCode(t, link(staff, a, b), codes.FailedPrecondition)
		require.Contains(t, st.Message(), "a parent cannot be a duplicate")
	})
	t.Run("another category group", func(t *testing.T) {
		road := h.report(t, "rr", commonv1.Category_CATEGORY_ROADS, cityHall).GetTicket().GetId()
		st := requireCode(t, link(staff, road, water()), codes.FailedPrecondition)
		require.Contains(t, st.Message(), "category group")
		// Water and sanitation are one group.
		sewer := h.report(t, "rs", commonv1.Category_CATEGORY_SANITATION, cityHall).GetTicket().GetId()
		require.NoError(t, link(staff, sewer, water()))
	})
	t.Run("GBV from anyone but the SAPS liaison: NotFound", func(t *testing.T) {
		g1 := h.report(t, "g1", commonv1.Category_CATEGORY_GBV, cityHall).GetTicket().GetId()
		g2 := h.report(t, "g2", commonv1.Category_CATEGORY_GBV, cityHall).GetTicket().GetId()
		missing := requireCode(t, link(staff, uuid.NewString(), g2), codes.NotFound)
		got := requireCode(t, link(staff, g1, g2), codes.NotFound)
		require.Equal(t, missing.Message(), got.Message())
		requireCode(t, link(as(t, "CPT", "mgr", auth.RoleTeamManager), g1, g2), codes.NotFound)
		require.NoError(t, link(saps(t, "CPT"), g1, g2), "the liaison links GBV reports")
		// GBV is its own group even for the liaison.
		st := requireCode(t, link(saps(t, "CPT"), water(), g2), codes.FailedPrecondition)
		require.Contains(t, st.Message(), "category group")
	})
	t.Run("citizens do not link", func(t *testing.T) {
		requireCode(t, link(citizen(t, "CPT", "c"), water(), water()), codes.PermissionDenied)
	})
	t.Run("bad ids and reasons name the field", func(t *testing.T) {
		requireField(t, link(staff, "nope", water()), "id")
		requireField(t, link(staff, water(), "nope"), "parent_id")
		_, err := h.public.LinkDuplicate(staff, &ticketv1.LinkDuplicateRequest{Id: water(), ParentId: water(), Reason: strings.Repeat("x", 1001)})
		requireField(t, err, "reason")
	})
}

func TestTwoLinksOfOneChildAtOnceLetOneWin(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff1, staff2 := agent(t, "CPT"), as(t, "CPT", "agent-2", auth.RoleAgent)
	for round := range 5 {
		child := h.report(t, fmt.Sprintf("c%d", round), commonv1.Category_CATEGORY_WATER, cityHall).GetTicket().GetId()
		p1 := h.report(t, fmt.Sprintf("p1-%d", round), commonv1.Category_CATEGORY_WATER, cityHall).GetTicket().GetId()
		p2 := h.report(t, fmt.Sprintf("p2-%d", round), commonv1.Category_CATEGORY_WATER, cityHall).GetTicket().GetId()
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, c := range []struct {
			ctx    context.Context
			parent string
		}{{staff1, p1}, {staff2, p2}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = h.public.LinkDuplicate(c.ctx, &ticketv1.LinkDuplicateRequest{Id: child, ParentId: c.parent})
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
				continue
			}
			st := status.Convert(err)
			require.Contains(t, []codes.Code{codes.FailedPrecondition, codes.Aborted}, st.Code(), "%v", err)
			require.Contains(t, st.Message(), "already a duplicate of")
		}
		require.Equal(t, 1, won, "exactly one link wins")
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.tickets WHERE id = $1 AND status = 'closed' AND duplicate_of = ANY($2)`,
			child, []string{p1, p2}))
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.tickets WHERE id = ANY($1) AND linked_count = 1`, []string{p1, p2}))
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.history WHERE ticket_id = $1 AND kind = 'duplicate_linked'`, child))
	}
}

func TestUnlinkingRestoresTheChild(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff := agent(t, "CPT")
	parent := h.report(t, "p", commonv1.Category_CATEGORY_WATER, cityHall).GetTicket().GetId()
	child := h.report(t, "c", commonv1.Category_CATEGORY_WATER, cityHall).GetTicket().GetId()
	_, err := h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: child, Status: working, Reason: "crew"})
	require.NoError(t, err)
	_, err = h.public.LinkDuplicate(staff, &ticketv1.LinkDuplicateRequest{Id: child, ParentId: parent})
	require.NoError(t, err)
	_, err = h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: child, Status: working, Reason: "again"})
	requireCode(t, err, codes.FailedPrecondition)

	resp, err := h.public.UnlinkDuplicate(staff, &ticketv1.UnlinkDuplicateRequest{Id: child, Reason: "a different leak"})
	require.NoError(t, err)
	got := resp.GetTicket()
	require.Equal(t, working, got.GetStatus(), "the status before the link")
	require.Empty(t, got.GetDuplicateOf())
	require.Nil(t, got.GetCloseTime())
	p, err := h.public.GetTicket(staff, &ticketv1.GetTicketRequest{Id: parent})
	require.NoError(t, err)
	require.Zero(t, p.GetTicket().GetLinkedCount())
	require.Zero(t, p.GetTicket().GetFollowerCount())
	// SLA hears closed -> in_progress and runs the clocks again.
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.sla_event'
		AND args->>'ticket_id' = $1 AND args->>'from' = 'closed' AND args->>'to' = 'in_progress'`, child))
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.history WHERE ticket_id = $1 AND kind = 'duplicate_removed'`, parent))
	_, err = h.public.UnlinkDuplicate(staff, &ticketv1.UnlinkDuplicateRequest{Id: child})
	st := requireCode(t, err, codes.FailedPrecondition)
	require.Contains(t, st.Message(), "not a duplicate")
}

func TestFollowingATicket(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.report(t, "first", commonv1.Category_CATEGORY_WATER, cityHall).GetTicket().GetId()
	neighbour := citizen(t, "CPT", "neighbour")
	for range 2 {
		resp, err := h.public.FollowTicket(neighbour, &ticketv1.FollowTicketRequest{Id: id})
		require.NoError(t, err)
		require.EqualValues(t, 1, resp.GetFollowerCount(), "following twice counts once")
		require.Equal(t, id, resp.GetTicket().GetId())
	}
	require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.followers WHERE ticket_id = $1 AND subject = 'neighbour'`, id))
	// A neighbour still cannot read someone else's report.
	_, err := h.public.GetTicket(neighbour, &ticketv1.GetTicketRequest{Id: id})
	requireCode(t, err, codes.NotFound)
	gbv := h.report(t, "victim", commonv1.Category_CATEGORY_GBV, cityHall).GetTicket().GetId()
	_, err = h.public.FollowTicket(neighbour, &ticketv1.FollowTicketRequest{Id: gbv})
	requireCode(t, err, codes.NotFound)
	_, err = h.public.FollowTicket(citizen(t, "JHB", "j"), &ticketv1.FollowTicketRequest{Id: id})
	requireCode(t, err, codes.NotFound)
}

func TestPriorities(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff := agent(t, "CPT")
	t.Run("the rule suggests one from the category and the municipality's keywords", func(t *testing.T) {
		_, err := h.public.SetDuplicateSettings(as(t, "CPT", "admin-CPT", auth.RoleMunicipalAdmin), &ticketv1.SetDuplicateSettingsRequest{
			Settings: &ticketv1.DuplicateSettings{Keywords: []*ticketv1.PriorityKeyword{{Phrase: "clinic", Priority: commonv1.Priority_PRIORITY_P1_CRITICAL}}}})
		require.NoError(t, err)
		waste := h.report(t, "w", commonv1.Category_CATEGORY_WASTE, cityHall).GetTicket()
		require.Equal(t, commonv1.Priority_PRIORITY_P4_LOW, waste.GetPriority())
		req := newTicket(commonv1.Category_CATEGORY_SANITATION, "Sewage flowing into the CLINIC waiting room")
		clinic, err := h.public.CreateTicket(citizen(t, "CPT", "nurse"), req)
		require.NoError(t, err)
		require.Equal(t, commonv1.Priority_PRIORITY_P1_CRITICAL, clinic.GetTicket().GetPriority())
		require.Equal(t, commonv1.Priority_PRIORITY_P1_CRITICAL, clinic.GetTicket().GetSuggestedPriority())
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.sla_event'
			AND args->>'ticket_id' = $1 AND args->>'priority' = 'p1_critical'`, clinic.GetTicket().GetId()), "SLA hears the priority at creation")
	})
	t.Run("staff set it at creation; a citizen may not", func(t *testing.T) {
		req := newTicket(commonv1.Category_CATEGORY_ELECTRICITY, "Live wire on the pavement")
		req.Priority = commonv1.Priority_PRIORITY_P1_CRITICAL
		got, err := h.public.CreateTicket(staff, req)
		require.NoError(t, err)
		require.Equal(t, commonv1.Priority_PRIORITY_P1_CRITICAL, got.GetTicket().GetPriority())
		require.Equal(t, commonv1.Priority_PRIORITY_P2_HIGH, got.GetTicket().GetSuggestedPriority())
		_, err = h.public.CreateTicket(citizen(t, "CPT", "c"), req)
		requireCode(t, err, codes.PermissionDenied)
		req.Priority = 9
		_, err = h.public.CreateTicket(staff, req)
		requireField(t, err, "priority")
	})
	t.Run("staff change it with a reason, recorded and sent to SLA", func(t *testing.T) {
		id := h.report(t, "r", commonv1.Category_CATEGORY_ROADS, cityHall).GetTicket().GetId()
		resp, err := h.public.SetTicketPriority(staff, &ticketv1.SetTicketPriorityRequest{Id: id, Priority: commonv1.Priority_PRIORITY_P2_HIGH,
			Reason: "pothole on a bus route"})
		require.NoError(t, err)
		require.Equal(t, commonv1.Priority_PRIORITY_P2_HIGH, resp.GetTicket().GetPriority())
		require.Equal(t, commonv1.Priority_PRIORITY_P3_MEDIUM, resp.GetTicket().GetSuggestedPriority())
		hist, err := h.public.GetTicketHistory(staff, &ticketv1.GetTicketHistoryRequest{TicketId: id})
		require.NoError(t, err)
		require.True(t, hasEntry(hist.GetEntries(), "priority_changed", "p3_medium -> p2_high"))
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.sla_event'
			AND args->>'ticket_id' = $1 AND args->>'event' = 'priority_changed' AND args->>'priority' = 'p2_high'`, id))
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.routing_status'
			AND args->>'ticket_id' = $1::text AND args->>'priority' = 'p2_high' AND args->>'status' = 'open'
			AND (args->>'sequence')::bigint = (SELECT max(sequence) FROM ticket.history WHERE ticket_id = $1::uuid)`, id),
			"routing's queues learn the priority at the change's sequence")
		// The same again changes nothing.
		_, err = h.public.SetTicketPriority(staff, &ticketv1.SetTicketPriorityRequest{Id: id, Priority: commonv1.Priority_PRIORITY_P2_HIGH, Reason: "again"})
		require.NoError(t, err)
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.history WHERE ticket_id = $1 AND kind = 'priority_changed'`, id))
	})
	t.Run("bad input names the field and changes nothing", func(t *testing.T) {
		id := h.report(t, "r2", commonv1.Category_CATEGORY_ROADS, cityHall).GetTicket().GetId()
		_, err := h.public.SetTicketPriority(staff, &ticketv1.SetTicketPriorityRequest{Id: id, Reason: "x"})
		requireField(t, err, "priority")
		_, err = h.public.SetTicketPriority(staff, &ticketv1.SetTicketPriorityRequest{Id: id, Priority: commonv1.Priority_PRIORITY_P1_CRITICAL})
		requireField(t, err, "reason")
		_, err = h.public.SetTicketPriority(citizen(t, "CPT", "r2"), &ticketv1.SetTicketPriorityRequest{Id: id, Priority: commonv1.Priority_PRIORITY_P1_CRITICAL, Reason: "x"})
		requireCode(t, err, codes.PermissionDenied)
		_, err = h.public.SetTicketPriority(agent(t, "JHB"), &ticketv1.SetTicketPriorityRequest{Id: id, Priority: commonv1.Priority_PRIORITY_P1_CRITICAL, Reason: "x"})
		requireCode(t, err, codes.NotFound)
		require.Zero(t, h.count(t, `SELECT count(*) FROM ticket.history WHERE ticket_id = $1 AND kind = 'priority_changed'`, id))
	})
	t.Run("settings refuse bad radii and keywords", func(t *testing.T) {
		adm := as(t, "CPT", "admin-CPT", auth.RoleMunicipalAdmin)
		set := func(s *ticketv1.DuplicateSettings) error {
			_, err := h.public.SetDuplicateSettings(adm, &ticketv1.SetDuplicateSettingsRequest{Settings: s})
			return err
		}
		requireField(t, set(&ticketv1.DuplicateSettings{Radii: []*ticketv1.NearbyRadius{{Category: commonv1.Category_CATEGORY_WATER, ResidentMeters: 6000}}}),
			"settings.radii[0].resident_meters")
		requireField(t, set(&ticketv1.DuplicateSettings{Radii: []*ticketv1.NearbyRadius{{Category: commonv1.Category_CATEGORY_GBV, ResidentMeters: 100}}}),
			"settings.radii[0].category")
		requireField(t, set(&ticketv1.DuplicateSettings{Keywords: []*ticketv1.PriorityKeyword{{Phrase: "x", Priority: commonv1.Priority_PRIORITY_P1_CRITICAL}}}),
			"settings.keywords[0].phrase")
		requireCode(t, set(&ticketv1.DuplicateSettings{Tenant: "JHB"}), codes.PermissionDenied)
		_, err := h.public.SetDuplicateSettings(staff, &ticketv1.SetDuplicateSettingsRequest{Settings: &ticketv1.DuplicateSettings{}})
		requireCode(t, err, codes.PermissionDenied)
		got, err := h.public.GetDuplicateSettings(staff, &ticketv1.GetDuplicateSettingsRequest{})
		require.NoError(t, err)
		require.Len(t, got.GetSettings().GetKeywords(), 1, "the earlier settings stand")
	})
}

func TestAnOpen311ReportAddsToAnEarlierOneWithDuplicateOf(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	gateway := servertest.WithToken(context.Background(), servertest.GatewayToken(t, "CPT"))
	parent := h.report(t, "first", commonv1.Category_CATEGORY_WATER, cityHall).GetTicket().GetId()
	gbv := h.report(t, "victim", commonv1.Category_CATEGORY_GBV, cityHall).GetTicket().GetId()
	submit := func(dup string) (*ticketv1.SubmitPublicReportResponse, error) {
		return h.internal.SubmitPublicReport(gateway, &ticketv1.SubmitPublicReportRequest{Tenant: "CPT", ClientId: uuid.NewString(),
			Category: commonv1.Category_CATEGORY_WATER, Description: "Water everywhere", Location: offset(cityHall, 30, 0),
			Attributes: map[string]string{"duplicate_of": dup}})
	}
	// The client's "is this already reported?" screen: the gateway's token
	// gets the residents' radius.
	found, err := h.public.ListNearbyTickets(gateway, &ticketv1.ListNearbyTicketsRequest{Location: offset(cityHall, 30, 0),
		Category: commonv1.Category_CATEGORY_WATER})
	require.NoError(t, err)
	require.Equal(t, 250.0, found.GetRadiusMeters())
	require.Len(t, found.GetTickets(), 1)
	require.Equal(t, parent, found.GetTickets()[0].GetId())

	resp, err := submit(parent)
	require.NoError(t, err)
	pub, err := h.internal.GetPublicTicket(gateway, &ticketv1.GetPublicTicketRequest{Tenant: "CPT", Id: resp.GetId()})
	require.NoError(t, err)
	require.Equal(t, parent, pub.GetTicket().GetDuplicateOf())
	require.Equal(t, closed, pub.GetTicket().GetStatus())
	got, err := h.public.GetTicket(agent(t, "CPT"), &ticketv1.GetTicketRequest{Id: parent})
	require.NoError(t, err)
	require.EqualValues(t, 1, got.GetTicket().GetLinkedCount())

	before := h.count(t, `SELECT count(*) FROM ticket.tickets`)
	for _, bad := range []string{uuid.NewString(), gbv, "not-a-uuid", resp.GetId()} {
		_, err := submit(bad)
		requireField(t, err, "attribute[duplicate_of]")
	}
	require.Equal(t, before, h.count(t, `SELECT count(*) FROM ticket.tickets`), "a refused report creates nothing")
}

func TestListTicketsInPriorityOrderWorksTheMostUrgentFirst(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff := agent(t, "CPT")
	base := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	mk := func(prio commonv1.Priority, deadlineHours int) string {
		req := newTicket(commonv1.Category_CATEGORY_ROADS, "Pothole")
		req.Priority = prio
		id := h.create(t, staff, req).GetId()
		if deadlineHours >= 0 {
			_, err := h.internal.RecordDeadlines(service(t), &ticketv1.RecordDeadlinesRequest{Tenant: "CPT", TicketId: id, Revision: 1,
				ResolutionDeadline: timestamppb.New(base.Add(time.Duration(deadlineHours) * time.Hour))})
			require.NoError(t, err)
		}
		return id
	}
	p3late := mk(commonv1.Priority_PRIORITY_P3_MEDIUM, 48)
	p1 := mk(commonv1.Priority_PRIORITY_P1_CRITICAL, 12)
	p3soon := mk(commonv1.Priority_PRIORITY_P3_MEDIUM, 2)
	p3none := mk(commonv1.Priority_PRIORITY_P3_MEDIUM, -1)
	p2 := mk(commonv1.Priority_PRIORITY_P2_HIGH, 100)
	p4 := mk(commonv1.Priority_PRIORITY_P4_LOW, 1)
	// Every page boundary falls somewhere else in the order.
	for _, size := range []int32{1, 2, 3, 50} {
		got := h.listAll(t, staff, &ticketv1.ListTicketsRequest{PageSize: size, OrderBy: ticketv1.TicketOrder_TICKET_ORDER_PRIORITY})
		require.Equal(t, []string{p1, p2, p3soon, p3late, p3none, p4}, got, "page size %d", size)
	}
	// A token of another order is refused.
	resp, err := h.public.ListTickets(staff, &ticketv1.ListTicketsRequest{PageSize: 1})
	require.NoError(t, err)
	_, err = h.public.ListTickets(staff, &ticketv1.ListTicketsRequest{PageSize: 1, PageToken: resp.GetNextPageToken(),
		OrderBy: ticketv1.TicketOrder_TICKET_ORDER_PRIORITY})
	requireField(t, err, "page_token")
}

func TestRoutingLearnsPriorityAndDeadlinesInOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff := agent(t, "CPT")
	req := newTicket(commonv1.Category_CATEGORY_ROADS, "Pothole")
	req.Priority = commonv1.Priority_PRIORITY_P2_HIGH
	id := h.create(t, staff, req).GetId()
	type state struct {
		Sequence             int64
		Status, Priority     string
		Response, Resolution *time.Time
	}
	states := func() []state {
		// The created state rides in the route's job; each later one in a
		// job of its own.
		rows, err := h.pool.Query(t.Context(), `SELECT (s->>'sequence')::bigint, s->>'status', coalesce(s->>'priority', ''),
				(s->>'response_deadline')::timestamptz, (s->>'resolution_deadline')::timestamptz
			FROM (SELECT id, CASE kind WHEN 'ticket.route_ticket' THEN args->'status' ELSE args END AS s
				FROM ticket.river_job WHERE kind IN ('ticket.route_ticket', 'ticket.routing_status') AND args->>'ticket_id' = $1) j
			ORDER BY id`, id)
		require.NoError(t, err)
		var out []state
		for rows.Next() {
			var s state
			require.NoError(t, rows.Scan(&s.Sequence, &s.Status, &s.Priority, &s.Response, &s.Resolution))
			out = append(out, s)
		}
		require.NoError(t, rows.Err())
		return out
	}
	got := states()
	require.Len(t, got, 1, "the created ticket's priority is sent with its first state, in its route")
	require.Equal(t, state{Sequence: 1, Status: "open", Priority: "p2_high"}, got[0])

	response := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	resolution := response.Add(48 * time.Hour)
	record := func(rev int64) {
		_, err := h.internal.RecordDeadlines(service(t), &ticketv1.RecordDeadlinesRequest{Tenant: "CPT", TicketId: id, Revision: rev,
			ResponseDeadline: timestamppb.New(response), ResolutionDeadline: timestamppb.New(resolution)})
		require.NoError(t, err)
	}
	record(1)
	record(2) // the same deadlines: nothing new to sort by
	got = states()
	require.Len(t, got, 2)
	require.Equal(t, "p2_high", got[1].Priority)
	require.True(t, got[1].Sequence > got[0].Sequence)
	require.True(t, response.Equal(*got[1].Response) && resolution.Equal(*got[1].Resolution), "%+v", got[1])

	_, err := h.public.SetTicketPriority(staff, &ticketv1.SetTicketPriorityRequest{Id: id,
		Priority: commonv1.Priority_PRIORITY_P1_CRITICAL, Reason: "school route"})
	require.NoError(t, err)
	_, err = h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: id, Status: commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS})
	require.NoError(t, err)
	got = states()
	require.Len(t, got, 4)
	require.Equal(t, "p1_critical", got[2].Priority)
	require.True(t, resolution.Equal(*got[2].Resolution), "a priority change keeps the deadlines known")
	require.Equal(t, "in_progress", got[3].Status)
	require.Equal(t, "p1_critical", got[3].Priority)
	require.True(t, got[1].Sequence < got[2].Sequence && got[2].Sequence < got[3].Sequence, "each later state has a later sequence")
}

func TestTheParentsUpdatesNameItsFollowersForNotify(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff := agent(t, "CPT")
	water := commonv1.Category_CATEGORY_WATER
	parent := h.report(t, "p", water, cityHall).GetTicket().GetId()
	child := h.report(t, "c", water, cityHall).GetTicket().GetId()
	// A report taken by phone has the agent as its subject: its reporter
	// is reached through the duplicate itself.
	phoned := h.create(t, staff, newTicket(water, "Burst main")).GetId()
	// The parent's own reporter on a second report hears as its reporter.
	own := h.report(t, "p", water, cityHall).GetTicket().GetId()
	// A neighbour who reported elsewhere earlier follows the parent.
	_ = h.report(t, "neighbour", commonv1.Category_CATEGORY_ROADS, cityHall)
	latest := h.report(t, "neighbour", commonv1.Category_CATEGORY_WASTE, cityHall).GetTicket().GetId()
	// Staff and a citizen who never reported have no contact notify knows.
	for _, ctx := range []context.Context{citizen(t, "CPT", "neighbour"), citizen(t, "CPT", "never-reported"), agent(t, "CPT")} {
		_, err := h.public.FollowTicket(ctx, &ticketv1.FollowTicketRequest{Id: parent})
		require.NoError(t, err)
	}
	for _, id := range []string{child, phoned, own} {
		_, err := h.public.LinkDuplicate(staff, &ticketv1.LinkDuplicateRequest{Id: id, ParentId: parent, Reason: "same main"})
		require.NoError(t, err)
	}
	followersOf := func(event string) []string {
		var ids []string
		require.NoError(t, h.pool.QueryRow(t.Context(), `SELECT coalesce(array_agg(f ORDER BY f), '{}')
			FROM ticket.river_job j, jsonb_array_elements_text(coalesce(j.args->'followers', '[]')) f
			WHERE j.kind = 'ticket.notify_event' AND j.args->>'ticket_id' = $1::text AND j.args->>'event' = $2`, parent, event).Scan(&ids))
		return ids
	}
	sorted := func(ids ...string) []string { slices.Sort(ids); return ids }

	_, err := h.public.AddTicketNote(staff, &ticketv1.AddTicketNoteRequest{TicketId: parent, Body: "Crew on site",
		Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC})
	require.NoError(t, err)
	require.Equal(t, sorted(child, phoned, latest), followersOf("note_public"))
	_, err = h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: parent, Status: working})
	require.NoError(t, err)
	require.Equal(t, sorted(child, phoned, latest), followersOf("acknowledged"))
	_, err = h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: parent, Status: resolved})
	require.NoError(t, err)
	require.Equal(t, sorted(child, phoned, latest), followersOf("resolved"),
		"linked reports and the follower's latest report; not the parent's own reporter, staff or one who never reported")

	_, err = h.public.UnlinkDuplicate(staff, &ticketv1.UnlinkDuplicateRequest{Id: child, Reason: "a different leak"})
	require.NoError(t, err)
	_, err = h.public.UpdateTicketStatus(staff, &ticketv1.UpdateTicketStatusRequest{Id: parent, Status: working, Reason: "still leaking"})
	require.NoError(t, err)
	require.Equal(t, sorted(phoned, latest), followersOf("status_changed"), "an unlinked report's reporter no longer follows")

	gbv := h.report(t, "victim", commonv1.Category_CATEGORY_GBV, cityHall).GetTicket().GetId()
	liaison := as(t, "CPT", "liaison", auth.RoleSAPSLiaison)
	_, err = h.public.FollowTicket(liaison, &ticketv1.FollowTicketRequest{Id: gbv})
	require.NoError(t, err)
	_, err = h.public.UpdateTicketStatus(liaison, &ticketv1.UpdateTicketStatusRequest{Id: gbv, Status: working})
	require.NoError(t, err)
	require.Zero(t, h.count(t, `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.notify_event'
		AND args->>'ticket_id' = $1::text AND args ? 'followers'`, gbv), "nobody follows a GBV ticket")
}

// TestTheNearbySearchReadsFewTiesOnATableThePlannerBelievesEmpty: a table
// its indexes were built on while empty has reltuples = 0 until it is
// first analyzed, as every new database's tickets do for their first
// minute; the planner then prices any walk as nearly free, and must still
// not read every report at one place for the ties (migration 00025).
func TestTheNearbySearchReadsFewTiesOnATableThePlannerBelievesEmpty(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	// Analyzed while empty, as an index build on the empty table leaves it.
	_, err := h.pool.Exec(ctx, `ALTER TABLE ticket.tickets SET (autovacuum_enabled = false)`)
	require.NoError(t, err)
	_, err = h.pool.Exec(ctx, `ANALYZE ticket.tickets`)
	require.NoError(t, err)
	_, err = h.pool.Exec(ctx, `INSERT INTO ticket.tickets (id, tenant, reference, category, status, location, reporter_subject, channel,
			create_time, update_time)
		SELECT gen_random_uuid(), 'CPT', 'CPT-2025-' || lpad(i::text, 6, '0'), 'water', 'open',
			ST_SetSRID(ST_MakePoint(18.42 + (i % 2) * 0.01, -33.92), 4326), 'seed', 'web', now(), now()
		FROM generate_series(1, 3000) i`)
	require.NoError(t, err)
	var reltuples float64
	require.NoError(t, h.pool.QueryRow(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'ticket.tickets'::regclass`).Scan(&reltuples))
	require.Zero(t, reltuples, "the planner believes the table empty")

	conn, err := h.pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, `SELECT set_config('app.all_tenants', 'on', false)`)
	require.NoError(t, err)
	const call = `SELECT count(*) FROM ticket.nearby_tickets('CPT', 'water', 18.42, -33.92, 200, now() - interval '30 days', gen_random_uuid(), 5)`
	// Past plpgsql's first five custom plans, onto the cached generic one.
	for range 8 {
		var n int
		require.NoError(t, conn.QueryRow(ctx, call).Scan(&n))
		require.Equal(t, 5, n, "five of the 1,500 reports at the place")
	}
	plan := strings.Join(planOf(t, conn, `EXPLAIN (ANALYZE, BUFFERS) `+call), "\n")
	m := regexp.MustCompile(`Function Scan on nearby_tickets[^\n]*\n\s+Buffers: shared hit=(\d+)`).FindStringSubmatch(plan)
	require.NotNil(t, m, "the call's buffers:\n%s", plan)
	hits, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	// The nearest six and five ties read a few dozen pages; every
	// report at the place would be about 750.
	require.Less(t, hits, 200, "the call reads a few pages, not every report at the place:\n%s", plan)
}
