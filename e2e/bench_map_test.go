package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// mapTenant holds the tickets of the map benchmark, spread uniformly over a
// 0.6 by 0.6 degree square around Cape Town (about 55 by 67 km).
const mapTenant = "MAP"

// insertMapTickets adds open water tickets number from to to (inclusive) of
// mapTenant at uniformly random points of the square, created at uniformly
// random times over the last year, straight into the ticket schema. Every
// tenth says "Burst pipe near the school" (10% of the tenant, spread over
// the year); of the next tenth those older than 300 days say "Sinkhole in
// the road" (about 1.8%, all old); the rest "Leak at the meter". One
// statement loads them oldest first, as a tenant's tickets arrive (so its
// newest tickets lie together on the table's last pages, not one to a
// page), with the table's indexes built after it (bulkLoad).
func (s *suite) insertMapTickets(ctx context.Context, from, to int) {
	s.t.Helper()
	s.bulkLoad(ctx, []string{"ticket.tickets"}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO ticket.tickets (id, tenant, reference, category, status, description, location,
			reporter_subject, channel, create_time, update_time)
		SELECT gen_random_uuid(), $1, mapReference,
			'water', 'open', CASE WHEN i % 10 = 0 THEN 'Burst pipe near the school'
				WHEN i % 10 = 1 AND age > 300 THEN 'Sinkhole in the road' ELSE 'Leak at the meter' END,
			ST_SetSRID(ST_MakePoint(18.2 + random() * 0.6, -34.2 + random() * 0.6), 4326),
			'bench', 'web', now() - age * interval '1 day', now()
		FROM generate_series($2::int, $3::int) i,
			LATERAL (SELECT $1 || '-2026-' || lpad(i::text, 7, '0') AS mapReference, random() * 365 + i * 0 AS age) r
		ORDER BY r.age DESC`, mapTenant, from, to)
		return err
	})
}

// benchMap measures what an operator's map asks: the newest 50 tickets
// within 300 m of a point and inside a 600 m box, and what a call centre
// asks: a ticket by its reference; as an agent of the tenant (so under
// row-level security), with a small and then a large tenant. It has no
// goal of the issue list; it shows how list latency follows the size of
// the tenant.
func benchMap(b *testing.B, r *benchReport) {
	s := startSuite(b, options{envFor: map[string][]string{"ticket": {"ROUTING_ADDR=", "SLA_ADDR="}}})
	ctx := context.Background()
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("map-agent", mapTenant, "agent")))
	small, large := scaled(10000, 500), scaled(1000000, 5000)
	queries := scaled(200, 20)
	// Points on a grid over the square's inner part, so that every run asks
	// about different places.
	at := func(i int) *commonv1.LatLng {
		return &commonv1.LatLng{Latitude: -34.1 + float64(i%20)*0.02, Longitude: 18.3 + float64(i/20%20)*0.02}
	}
	// Each kind of query asks about place or ticket i of a tenant of size
	// tickets.
	kinds := []struct {
		name string
		req  func(i, size int) *ticketv1.ListTicketsRequest
		// queries per run, when not the section's; p99 also records
		// the 99th percentile; bound, when set, cuts each call at that
		// time and counts it at the bound (a lower bound of its time).
		queries int
		p99     bool
		bound   time.Duration
	}{
		{"within 300 m", func(i, _ int) *ticketv1.ListTicketsRequest {
			return &ticketv1.ListTicketsRequest{PageSize: 50, Near: &ticketv1.Circle{Center: at(i), RadiusMeters: 300}}
		}, 0, false, 0},
		{"in a 600 m box", func(i, _ int) *ticketv1.ListTicketsRequest {
			c := at(i)
			return &ticketv1.ListTicketsRequest{PageSize: 50, Bbox: &ticketv1.BoundingBox{
				MinLatitude: c.Latitude - 0.0027, MaxLatitude: c.Latitude + 0.0027,
				MinLongitude: c.Longitude - 0.0033, MaxLongitude: c.Longitude + 0.0033}}
		}, 0, false, 0},
		{"by a whole reference", func(i, size int) *ticketv1.ListTicketsRequest {
			return &ticketv1.ListTicketsRequest{PageSize: 50, Query: fmt.Sprintf("%s-2026-%07d", mapTenant, 1+(i*7919)%size)}
		}, 0, false, 0},
		{"by text matching 10% of the tenant", func(i, _ int) *ticketv1.ListTicketsRequest {
			return &ticketv1.ListTicketsRequest{PageSize: 50, Query: []string{"burst pipe", "Burst Pipe", "pipe near the school"}[i%3]}
		}, 0, true, 0},
		// Matches many tickets, none of them recent: no index walks
		// the matches in time order (see the README), so it is asked
		// only a few times, each cut at 5 s (on a busy machine a call
		// at 1,000,000 tickets ran into the service's 30 s deadline).
		{"by text matching 1.8% of the tenant, all older than 300 days", func(i, _ int) *ticketv1.ListTicketsRequest {
			return &ticketv1.ListTicketsRequest{PageSize: 50, Query: []string{"sinkhole", "Sinkhole in"}[i%2]}
		}, scaled(10, 3), true, 5 * time.Second},
	}
	measure := func(size int) {
		for _, k := range kinds {
			n := queries
			if k.queries > 0 {
				n = k.queries
			}
			var p50s, p99s []float64
			found, cut := 0, 0
			for run := range r.Runs {
				_, lat, err := loadRun(n, 1, func(i int) error {
					callCtx := ctx
					if k.bound > 0 {
						var cancel context.CancelFunc
						callCtx, cancel = context.WithTimeout(ctx, k.bound)
						defer cancel()
					}
					resp, err := tc.ListTickets(callCtx, k.req(run*n+i, size))
					if k.bound > 0 && status.Code(err) == codes.DeadlineExceeded {
						cut++
						return nil
					}
					found += len(resp.GetTickets())
					return err
				})
				if err != nil {
					b.Fatalf("ListTickets %s: %v", k.name, err)
				}
				p50s = append(p50s, percentile(lat, 50))
				p99s = append(p99s, percentile(lat, 99))
			}
			r.add("7 map list", fmt.Sprintf("ListTickets %s, p50, tenant of %s tickets", k.name, groupDigits(size)), "ms", spreadOf(p50s))
			if k.p99 {
				r.add("7 map list", fmt.Sprintf("ListTickets %s, p99, tenant of %s tickets", k.name, groupDigits(size)), "ms", spreadOf(p99s))
				if size == large && k.queries == 0 {
					r.goal(fmt.Sprintf("7: ListTickets %s of %s tickets, p99 ms", k.name, groupDigits(size)), spreadOf(p99s).Median, false, 50)
				}
			}
			r.note("Map list, %s tickets, %s: %.1f tickets per answer on average (%d queries per run).", groupDigits(size), k.name, float64(found)/float64(n*r.Runs), n)
			if cut > 0 {
				r.note("Map list, %s tickets, %s: %d of %d calls were cut at %s, so its figures are lower bounds.", groupDigits(size), k.name, cut, n*r.Runs, k.bound)
			}
		}
	}
	s.insertMapTickets(ctx, 1, small)
	measure(small)
	start := time.Now()
	s.insertMapTickets(ctx, small+1, large)
	took := time.Since(start)
	measure(large)
	r.note("Map list: %d queries per run, one at a time, as an agent of the tenant; %d more tickets took %.0f s to insert.", queries, large-small, took.Seconds())
}
