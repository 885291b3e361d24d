package server_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// listAll pages through req and returns the ids in order.
func (h *harness) listAll(t *testing.T, ctx context.Context, req *ticketv1.ListTicketsRequest) []string {
	t.Helper()
	var ids []string
	for range 1000 {
		resp, err := h.public.ListTickets(ctx, req)
		require.NoError(t, err)
		for _, tk := range resp.GetTickets() {
			ids = append(ids, tk.GetId())
		}
		if resp.GetNextPageToken() == "" {
			return ids
		}
		req.PageToken = resp.GetNextPageToken()
	}
	t.Fatal("pagination did not end")
	return nil
}

func TestListTicketsPaginatesEachTicketOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	reporter := citizen(t, "CPT", "c1")
	var before []string
	for i := range 30 {
		before = append(before, h.create(t, reporter, newTicket(commonv1.Category_CATEGORY_WATER, fmt.Sprint("leak ", i))).GetId())
	}
	for _, order := range []ticketv1.TicketOrder{ticketv1.TicketOrder_TICKET_ORDER_CREATE_TIME_DESC, ticketv1.TicketOrder_TICKET_ORDER_CREATE_TIME_ASC} {
		t.Run(fmt.Sprintf("in %s order while tickets are being inserted", order), func(t *testing.T) {
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
						h.create(t, reporter, newTicket(commonv1.Category_CATEGORY_WATER, "concurrent"))
					}
				}
			})
			ids := h.listAll(t, agent(t, "CPT"), &ticketv1.ListTicketsRequest{PageSize: 4, OrderBy: order})
			close(stop)
			wg.Wait()
			seen := map[string]int{}
			for _, id := range ids {
				seen[id]++
			}
			for _, id := range before {
				require.Equal(t, 1, seen[id], "ticket %s", id)
			}
			for id, n := range seen {
				require.Equal(t, 1, n, "ticket %s repeated", id)
			}
		})
	}

	t.Run("a page token is refused with other filters", func(t *testing.T) {
		resp, err := h.public.ListTickets(agent(t, "CPT"), &ticketv1.ListTicketsRequest{PageSize: 2})
		require.NoError(t, err)
		require.NotEmpty(t, resp.GetNextPageToken())
		_, err = h.public.ListTickets(agent(t, "CPT"), &ticketv1.ListTicketsRequest{PageSize: 2, PageToken: resp.GetNextPageToken(), Query: "leak"})
		requireField(t, err, "page_token")
		_, err = h.public.ListTickets(agent(t, "CPT"), &ticketv1.ListTicketsRequest{PageToken: "garbage!"})
		requireField(t, err, "page_token")
	})

	t.Run("page size is capped at 500", func(t *testing.T) {
		resp, err := h.public.ListTickets(agent(t, "CPT"), &ticketv1.ListTicketsRequest{PageSize: 100000})
		require.NoError(t, err)
		require.LessOrEqual(t, len(resp.GetTickets()), 500)
	})
}

func TestListTicketsFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	reporter := citizen(t, "CPT", "c1")
	at := func(lat, lng float64, cat commonv1.Category, desc string) string {
		req := newTicket(cat, desc)
		req.Location = &commonv1.LatLng{Latitude: lat, Longitude: lng}
		return h.create(t, reporter, req).GetId()
	}
	// About 111 m per 0.001 degree of latitude.
	centre := at(-33.9249, 18.4241, commonv1.Category_CATEGORY_WATER, "Burst main")
	near := at(-33.9289, 18.4241, commonv1.Category_CATEGORY_ROADS, "Pothole") // ~445 m south
	far := at(-33.9549, 18.4241, commonv1.Category_CATEGORY_WATER, "Leak")     // ~3.3 km south
	other := at(-26.2041, 28.0473, commonv1.Category_CATEGORY_WASTE, "Dumping in Johannesburg")
	staff := agent(t, "CPT")

	cases := []struct {
		name string
		req  *ticketv1.ListTicketsRequest
		want []string
	}{
		{"a 500 m radius finds exactly the tickets inside it", &ticketv1.ListTicketsRequest{
			Near: &ticketv1.Circle{Center: capeTown, RadiusMeters: 500}}, []string{centre, near}},
		{"a 5 km radius also takes the far ticket", &ticketv1.ListTicketsRequest{
			Near: &ticketv1.Circle{Center: capeTown, RadiusMeters: 5000}}, []string{centre, near, far}},
		{"a bounding box finds exactly the tickets inside it", &ticketv1.ListTicketsRequest{
			Bbox: &ticketv1.BoundingBox{MinLatitude: -33.94, MinLongitude: 18.4, MaxLatitude: -33.92, MaxLongitude: 18.45}}, []string{centre, near}},
		{"a category filter", &ticketv1.ListTicketsRequest{Categories: []commonv1.Category{commonv1.Category_CATEGORY_WATER}}, []string{centre, far}},
		{"text search in the description is case-insensitive", &ticketv1.ListTicketsRequest{Query: "JOHANNES"}, []string{other}},
		{"a status filter", &ticketv1.ListTicketsRequest{Statuses: []commonv1.TicketStatus{working}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := h.listAll(t, staff, tc.req)
			require.ElementsMatch(t, tc.want, got)
		})
	}

	t.Run("bad geometry filters are refused by field", func(t *testing.T) {
		_, err := h.public.ListTickets(staff, &ticketv1.ListTicketsRequest{Near: &ticketv1.Circle{Center: capeTown, RadiusMeters: 0}})
		requireField(t, err, "near.radius_meters")
		_, err = h.public.ListTickets(staff, &ticketv1.ListTicketsRequest{Bbox: &ticketv1.BoundingBox{MinLatitude: -33, MaxLatitude: -34, MinLongitude: 18, MaxLongitude: 19}})
		requireField(t, err, "bbox")
	})

	t.Run("a citizen lists only their own tickets", func(t *testing.T) {
		h.create(t, citizen(t, "CPT", "c2"), newTicket(commonv1.Category_CATEGORY_WATER, "mine"))
		require.Len(t, h.listAll(t, citizen(t, "CPT", "c2"), &ticketv1.ListTicketsRequest{}), 1)
		require.Len(t, h.listAll(t, reporter, &ticketv1.ListTicketsRequest{}), 4)
	})
}

// The radius filter narrows by a rectangle before it measures distances on
// the spheroid; the rectangle must never cut a ticket off. Tickets are
// placed just inside and just outside the circle in every direction, at
// the country's northern and southern ends and for radii from 10 m to the
// largest allowed, and the list must equal PostGIS's own answer.
func TestListTicketsRadiusIsExactAtTheEdge(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	staff := agent(t, "CPT")
	for _, c := range []struct {
		lat, lng, meters float64
	}{
		{-22.3, 30.0, 10}, {-22.3, 30.0, 2500}, {-34.8, 19.9, 400}, {-34.8, 19.9, domain.MaxRadiusMeters}, {-29.1, 26.2, 40000},
	} {
		// 72 directions, at 0.97 to 1.03 of the radius.
		_, err := h.pool.Exec(ctx, `DELETE FROM ticket.tickets`)
		require.NoError(t, err)
		_, err = h.pool.Exec(ctx, `INSERT INTO ticket.tickets (id, tenant, reference, category, status, location,
				reporter_subject, channel, create_time, update_time)
			SELECT gen_random_uuid(), 'CPT', 'CPT-2026-' || a || '-' || f, 'water', 'open',
				ST_Project(ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, $3 * (0.97 + f * 0.01), radians(a * 5))::geometry,
				'c', 'web', now(), now()
			FROM generate_series(0, 71) a, generate_series(0, 6) f`, c.lat, c.lng, c.meters)
		require.NoError(t, err)
		rows, err := h.pool.Query(ctx, `SELECT id::text FROM ticket.tickets
			WHERE ST_DWithin(location::geography, ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, $3)`, c.lat, c.lng, c.meters)
		require.NoError(t, err)
		want, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		require.Greater(t, len(want), 72*2, "tickets inside the circle")
		require.Less(t, len(want), 72*7, "tickets outside the circle")

		got := h.listAll(t, staff, &ticketv1.ListTicketsRequest{
			Near: &ticketv1.Circle{Center: &commonv1.LatLng{Latitude: c.lat, Longitude: c.lng}, RadiusMeters: c.meters}})
		require.ElementsMatch(t, want, got, "radius %v m around %v, %v", c.meters, c.lat, c.lng)
	}
}

// Text search newest first fills a page from the tenant's newest tickets
// when its matches are common among them, finds them through trigram
// indexes when they are few and walks the list when they are many (more
// than the store's cap of 2,000); every way must give exactly the matching
// tickets, and pages that end inside and past the window of newest
// tickets join without a gap or a repeat.
func TestListTicketsTextSearchFewAndMany(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	_, err := h.pool.Exec(ctx, `INSERT INTO ticket.tickets (id, tenant, reference, category, status, description, location,
			reporter_subject, channel, create_time, update_time)
		SELECT gen_random_uuid(), 'CPT', 'CPT-2025-' || lpad(i::text, 6, '0'),
			'water', 'open', CASE WHEN i % 1000 = 7 THEN 'Sinkhole 50% across the road' ELSE 'Leak at the meter' END,
			ST_SetSRID(ST_MakePoint(18.42, -33.92), 4326), 'c', 'web', now() - i * interval '1 minute', now()
		FROM generate_series(1, 2500) i`)
	require.NoError(t, err)
	_, err = h.pool.Exec(ctx, `INSERT INTO ticket.tickets (id, tenant, reference, category, status, description, location,
			reporter_subject, channel, create_time, update_time)
		VALUES (gen_random_uuid(), 'JHB', 'JHB-2025-000007', 'water', 'open', 'Sinkhole on Main Reef Road',
			ST_SetSRID(ST_MakePoint(28.04, -26.2), 4326), 'c', 'web', now(), now()),
		(gen_random_uuid(), 'CPT', 'CPT-2026-000001', 'water', 'open', 'Follow-up to cpt-2025-001007, still leaking',
			ST_SetSRID(ST_MakePoint(18.42, -33.92), 4326), 'c', 'web', now(), now())`)
	require.NoError(t, err)
	count := func(sql string, args ...any) int {
		var n int
		require.NoError(t, h.pool.QueryRow(ctx, sql, args...).Scan(&n))
		return n
	}
	staff := agent(t, "CPT")
	for _, tc := range []struct {
		name, query string
		want        int
	}{
		{"many matches, common among the newest (walked at once)", "leak", 2500 - 3 + 1},
		{"many matches of another word (walked at once)", "meter", 2500 - 3},
		{"few matches (indexed)", "SINKHOLE", 3},
		{"a whole reference, and a description quoting it", "cpt-2025-001007", 2},
		{"a whole reference of another tenant", "JHB-2025-000007", 0},
		{"part of a reference, and a description holding it", "2025-00100", 11},
		{"a reference prefix with many matches, and the description holding it", "CPT-2025-00", 2500 + 1},
		{"LIKE wildcards are literal", "50%", 3},
		{"an underscore is literal", "_", 0},
		{"another tenant's words find nothing", "Main Reef", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := h.listAll(t, staff, &ticketv1.ListTicketsRequest{Query: tc.query, PageSize: 500})
			require.Equal(t, tc.want, len(got), "tickets listed")
			if tc.want > 0 {
				require.Equal(t, tc.want, count(`SELECT count(*) FROM ticket.tickets WHERE tenant = 'CPT' AND id = ANY($1::uuid[])
					AND (description ILIKE '%' || $2 || '%' OR reference ILIKE '%' || $2 || '%')`, got, tc.query), "every ticket listed matches")
			}
		})
	}

	// Newest first, in the list's order: pages of 500 fill from the
	// newest tickets until the last, which is found through the indexes.
	rows, err := h.pool.Query(ctx, `SELECT id::text FROM ticket.tickets WHERE tenant = 'CPT'
		AND (description ILIKE '%leak%' OR reference ILIKE '%leak%') ORDER BY create_time DESC, id DESC`)
	require.NoError(t, err)
	newest, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, newest, h.listAll(t, staff, &ticketv1.ListTicketsRequest{Query: "leak", PageSize: 500}))

	// Oldest first, the same search asks search_ids and walks past its cap.
	oldest := h.listAll(t, staff, &ticketv1.ListTicketsRequest{Query: "leak", PageSize: 500, OrderBy: ticketv1.TicketOrder_TICKET_ORDER_CREATE_TIME_ASC})
	require.Len(t, oldest, 2500-3+1)

	// search_ids runs as the schema owner: it must keep the tenant wall.
	ids := func(scope pg.Scope, tenant *string) int {
		var n int
		require.NoError(t, pg.InTx(ctx, h.pool, scope, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM ticket.search_ids($1, 'Sinkhole', '%Sinkhole%', 10)`, tenant).Scan(&n)
		}))
		return n
	}
	cpt, jhb := "CPT", "JHB"
	require.Equal(t, 3, ids(pg.Scope{Tenant: "CPT"}, &cpt), "the tenant's own search")
	require.Zero(t, ids(pg.Scope{Tenant: "JHB"}, &cpt), "another tenant asking for CPT's matches")
	require.Zero(t, ids(pg.Scope{Tenant: "CPT"}, nil), "a tenant asking for every tenant's matches")
	require.Zero(t, ids(pg.Scope{}, &cpt), "an empty scope")
	require.Equal(t, 4, ids(pg.Scope{AllTenants: true}, nil), "an all-tenants scope")
	require.Equal(t, 1, ids(pg.Scope{AllTenants: true}, &jhb), "an all-tenants scope naming one tenant")

}

func TestListTicketsByIDsShowsOnlyTheVisibleOnes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	water := h.create(t, agent(t, "CPT"), newTicket(commonv1.Category_CATEGORY_WATER, "leak")).GetId()
	roads := h.create(t, agent(t, "CPT"), newTicket(commonv1.Category_CATEGORY_ROADS, "pothole")).GetId()
	h.create(t, agent(t, "CPT"), newTicket(commonv1.Category_CATEGORY_ROADS, "not asked for"))
	gbv := h.create(t, citizen(t, "CPT", "victim"), newTicket(commonv1.Category_CATEGORY_GBV, secretText)).GetId()
	jhb := h.create(t, agent(t, "JHB"), newTicket(commonv1.Category_CATEGORY_WATER, "elsewhere")).GetId()
	all := []string{water, roads, gbv, jhb}

	for _, tc := range []struct {
		name string
		ctx  context.Context
		want []string
	}{
		{"an agent gets the tenant's named non-GBV tickets", agent(t, "CPT"), []string{water, roads}},
		{"the SAPS liaison gets the GBV ticket too", saps(t, "CPT"), []string{water, roads, gbv}},
		{"another tenant's agent gets only its own", agent(t, "JHB"), []string{jhb}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := h.listAll(t, tc.ctx, &ticketv1.ListTicketsRequest{Ids: all})
			require.ElementsMatch(t, tc.want, got)
		})
	}

	tooMany := make([]string, domain.MaxFilterIDs+1)
	for i := range tooMany {
		tooMany[i] = water
	}
	for _, tc := range []struct {
		name string
		ids  []string
	}{
		{"an id that is not a UUID", []string{water, "CPT-2026-000001"}},
		{"more than 500 ids", tooMany},
	} {
		t.Run(tc.name+" is refused, naming ids", func(t *testing.T) {
			_, err := h.public.ListTickets(agent(t, "CPT"), &ticketv1.ListTicketsRequest{Ids: tc.ids})
			require.Equal(t, codes.InvalidArgument, status.Code(err))
			require.Contains(t, status.Convert(err).Message(), "ids")
		})
	}
}
