package e2e

import (
	"fmt"
	"slices"
	"time"

	"github.com/twpayne/go-geom"
	"google.golang.org/protobuf/types/known/structpb"
)

// benchStruct parses a JSON object into a protobuf Struct.
func benchStruct(raw string) (*structpb.Struct, error) {
	m, err := benchJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("structOf: %w", err)
	}
	st, err := structpb.NewStruct(m)
	if err != nil {
		return nil, fmt.Errorf("structOf: %w", err)
	}
	return st, nil
}

// reportRouting compares every answer with the Go point-in-polygon check
// and records rates, latencies and the share of identical answers.
//
// Tie rule: a point covered by more than one ward (the simplified layer
// overlaps itself in places) counts as identical when the answer is any of
// the covering wards, since the service's "smallest area first" order uses
// geodesic areas the planar Go check does not reproduce; such points are
// counted in the notes. A point covered by no ward cannot occur: every point
// is drawn inside a ward.
// answered are the routing measurements that name a team.
var answered = []string{"route", "routebase", "explain", "raw"}

func reportRouting(r *benchReport, wards []*mdbWard, points []geom.Coord, answers map[string][]string,
	teamName map[string]string, rates map[string][]float64, lats map[string][]time.Duration, total int) {
	same := map[string]int{}
	overlaps := 0
	for i, p := range points {
		want := coveringWards(wards, p)
		if len(want) > 1 {
			overlaps++
		}
		for _, name := range answered {
			got := answers[name][i]
			if name != "raw" {
				got = teamName[got]
			}
			if slices.Contains(want, teamWard(got)) {
				same[name]++
			}
		}
	}
	labels := map[string]string{
		"route":     "RouteTicket (internal gRPC)",
		"routebase": "baseline: RouteTicket's durable work via pgx (candidates, assignment, job, commit)",
		"explain":   "ExplainRoute (gRPC)",
		"floor":     "floor: ExplainRoute refused as invalid (same hop, token verified, no query)",
		"health":    "gRPC health check (same connection, no token check)",
		"raw":       "baseline: raw ST_Contains query via pgx",
	}
	for _, name := range routingOps {
		r.add("3 routing", labels[name]+", 1 client", "calls/s", spreadOf(rates[name]))
		r.add("3 routing", labels[name]+" p50 latency", "ms", spreadOf([]float64{percentile(lats[name], 50)}))
		r.add("3 routing", labels[name]+" p99 latency", "ms", spreadOf([]float64{percentile(lats[name], 99)}))
		if slices.Contains(answered, name) {
			r.add("3 routing", labels[name]+" answers identical to go-geom", "%", spreadOf([]float64{100 * float64(same[name]) / float64(len(points))}))
		}
	}
	over := percentile(lats["explain"], 50) - (percentile(lats["floor"], 50) + percentile(lats["raw"], 50))
	r.add("3 routing", "ExplainRoute p50 - (floor p50 + raw query p50)", "ms", spreadOf([]float64{over}))
	r.goal("3: ExplainRoute p50 - (floor p50 + raw query p50), ms", over, false, 0.1)
	r.goal("3: RouteTicket rate / pgx baseline with the same durable work", ratio(spreadOf(rates["route"]).Median, spreadOf(rates["routebase"]).Median), true, 0.8)
	r.goal("3: RouteTicket answers identical to go-geom (%)", 100*float64(same["route"])/float64(len(points)), true, 100)
	r.goal("3: ExplainRoute answers identical to go-geom (%)", 100*float64(same["explain"])/float64(len(points)), true, 100)
	r.note("Routing: %d of %d MDB 2011 wards imported as water teams of one country-wide tenant (%d refused as invalid by PostGIS, as the service would); %d points drawn inside them (a uniformly chosen ward, then a uniform point in it; fixed seed), routed one at a time from one client, split into %d runs; %d points lie in more than one ward and count as identical when the answer is any of them.",
		len(wards), total, total-len(wards), len(points), len(rates["raw"]), overlaps)
}
