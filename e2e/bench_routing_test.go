package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/twpayne/go-geom"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
)

// routingTenant is one test municipality whose boundary is a rectangle
// around the whole country, so every ward fits inside it as a team area.
const routingTenant = "ZA"

// wardPrefix names the imported teams: "Ward 10101001".
const wardPrefix = "Ward "

// rawRouteQuery is the baseline: one ST_Contains query per point over the
// same teams, with the service's tie order.
const rawRouteQuery = `SELECT t.name FROM routing.teams t
	WHERE t.tenant = $1 AND t.active AND NOT t.is_saps AND t.category = 'water'
	AND ST_Contains(t.service_area, ST_SetSRID(ST_MakePoint($2, $3), 4326))
	ORDER BY t.area_sq_km, t.id LIMIT 1`

// benchRouting measures goal 3 on its own suite, whose routing service does
// not deliver assignments to the ticket service (the benchmark's tickets
// exist only in routing, and failing deliveries would load the machine).
func benchRouting(b *testing.B, r *benchReport) {
	path := filepath.Join(benchDataDir(), "mdb2011", "Wards2011.geojson")
	if _, err := os.Stat(filepath.Dir(path)); err != nil {
		r.note("Routing: not measured, %s is absent.", filepath.Dir(path))
		return
	}
	all, err := loadWards(path)
	if err != nil {
		b.Fatal(err)
	}
	s := startSuite(b, options{extraEnv: profileEnv(), envFor: map[string][]string{"routing": {"TICKET_ADDR="}}})
	ctx := context.Background()
	wards := validWards(b, s.db, all)
	importWards(b, s, wards)
	points := samplePoints(wards, scaled(10000, 200))

	rc := routingv1.NewRoutingInternalServiceClient(s.dial(s.routingAddr, s.token("routing-bench", routingTenant, "service")))
	pub := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, s.token("bench-agent", routingTenant, "agent")))
	loc := func(p geom.Coord) *commonv1.LatLng { return &commonv1.LatLng{Latitude: p[1], Longitude: p[0]} }
	teamName := map[string]string{} // team id -> name, filled from the answers
	answers := map[string][]string{"route": make([]string, len(points)), "explain": make([]string, len(points)),
		"raw": make([]string, len(points)), "routebase": make([]string, len(points))}
	health := healthpb.NewHealthClient(s.dial(s.routingAddr, s.token("bench-agent", routingTenant, "agent")))
	ops := map[string]func(i int) error{
		"route": func(i int) error {
			resp, err := rc.RouteTicket(ctx, &routingv1.RouteTicketRequest{Tenant: routingTenant, TicketId: uuid.NewString(),
				Category: commonv1.Category_CATEGORY_WATER, Location: loc(points[i])})
			answers["route"][i] = resp.GetAssignment().GetTeamId()
			return err
		},
		"explain": func(i int) error {
			resp, err := pub.ExplainRoute(ctx, &routingv1.ExplainRouteRequest{Tenant: routingTenant,
				Category: commonv1.Category_CATEGORY_WATER, Location: loc(points[i])})
			answers["explain"][i] = resp.GetDecision().GetTeamId()
			return err
		},
		// The floor of ExplainRoute's hop: the same RPC on the same
		// connection, authenticated and checked, refused as invalid (no
		// location) before any query.
		"floor": func(i int) error {
			_, err := pub.ExplainRoute(ctx, &routingv1.ExplainRouteRequest{Tenant: routingTenant, Category: commonv1.Category_CATEGORY_WATER})
			if status.Code(err) == codes.InvalidArgument {
				return nil
			}
			return fmt.Errorf("ExplainRoute without a location: want InvalidArgument, got %v", err)
		},
		"health": func(int) error {
			_, err := health.Check(ctx, &healthpb.HealthCheckRequest{})
			return err
		},
		"routebase": func(i int) error {
			team, err := routeBaseline(ctx, s.db, points[i])
			answers["routebase"][i] = team
			return err
		},
		"raw": func(i int) error {
			var name string
			err := s.db.QueryRow(ctx, rawRouteQuery, routingTenant, points[i][0], points[i][1]).Scan(&name)
			answers["raw"][i] = name
			return err
		},
	}
	rates := map[string][]float64{}
	lats := map[string][]time.Duration{}
	runs := r.Runs
	chunk := (len(points) + runs - 1) / runs
	for k := 0; k < len(points); k += chunk {
		part := points[k:min(k+chunk, len(points))]
		for _, name := range routingOps {
			wait := func() {}
			if k == 0 && (name == "route" || name == "explain") {
				// The first chunk's service calls are profiled (BENCH_PROFILE).
				wait = s.profileDuring(b, name, 2, "routing")
			}
			took, lat, err := loadRun(len(part), 1, func(i int) error { return ops[name](k + i) })
			wait()
			if err != nil {
				b.Fatalf("%s: %v", name, err)
			}
			rates[name] = append(rates[name], perSecond(len(part), took))
			lats[name] = append(lats[name], lat...)
		}
	}
	rows, err := s.db.Query(ctx, `SELECT id::text, name FROM routing.teams WHERE tenant = $1`, routingTenant)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			b.Fatal(err)
		}
		teamName[id] = name
	}
	rows.Close()
	reportRouting(r, wards, points, answers, teamName, rates, lats, len(all))
}

// routingOps are the routing section's measurements, run in turn on each
// chunk of points.
var routingOps = []string{"route", "routebase", "explain", "floor", "health", "raw"}

// routeBaseline does through pgx the durable work of RouteTicket for one
// new ticket at p, in as few round trips as pgx allows: BEGIN; the
// tenant's scope and the covering-teams search of routing's first rule
// (routing.covering_teams, as the service calls it) in one batch; the
// routing assignment and its delivery job row in another; COMMIT. It
// returns the team's id.
func routeBaseline(ctx context.Context, db *pgxpool.Pool, p geom.Coord) (string, error) {
	var team string
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(`SELECT set_config('app.tenant', $1, true)`, routingTenant)
		b.Queue(`SELECT id::text FROM routing.covering_teams($1, 'water', $2, $3) LIMIT 1`, routingTenant, p[0], p[1]).
			QueryRow(func(row pgx.Row) error { return row.Scan(&team) })
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("candidates: %w", err)
		}
		id, ticket, now := uuid.NewString(), uuid.NewString(), time.Now().UTC()
		decision, _ := json.Marshal(map[string]any{"team_id": team, "reason": "geospatial_routing"})
		args, _ := json.Marshal(map[string]any{"tenant": routingTenant, "ticket_id": ticket, "assignment_id": id,
			"team_id": team, "reason": "geospatial_routing", "assign_time": now})
		b = &pgx.Batch{}
		b.Queue(`INSERT INTO routing.assignments (id, tenant, ticket_id, category, team_id, assigned_by, reason, is_current, decision)
			VALUES ($1, $2, $3, 'water', $4, 'system', 'geospatial_routing', true, $5) ON CONFLICT DO NOTHING`,
			id, routingTenant, ticket, team, decision)
		jobs, params := baselineJobs("routing", now, []string{"routing.record_assignment"}, []string{string(args)})
		b.Queue(jobs, params...)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("assignment and job: %w", err)
		}
		return nil
	})
	return team, err
}

// validWards keeps the wards PostGIS finds valid: the routing service
// refuses invalid areas rather than repair them, and an import is all or
// nothing, so the invalid ones are left out (and counted in the notes).
func validWards(b *testing.B, db *pgxpool.Pool, all []*mdbWard) []*mdbWard {
	geoms := make([]string, len(all))
	for i, w := range all {
		geoms[i] = string(w.Geometry)
	}
	rows, err := db.Query(context.Background(), `SELECT ST_IsValid(ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)))
		FROM unnest($1::text[]) WITH ORDINALITY AS u(g, i) ORDER BY i`, geoms)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out []*mdbWard
	for i := 0; rows.Next(); i++ {
		var ok bool
		if err := rows.Scan(&ok); err != nil {
			b.Fatal(err)
		}
		if ok {
			out = append(out, all[i])
		}
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return out
}

// importWards registers the country-wide municipality and imports one water
// team per ward through ImportTeams, in chunks to keep messages small.
func importWards(b *testing.B, s *suite, wards []*mdbWard) {
	ctx := context.Background()
	admin := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, s.token("bench-admin", routingTenant, "platform_admin", "municipal_admin")))
	_, err := admin.CreateMunicipality(ctx, &routingv1.CreateMunicipalityRequest{Municipality: &routingv1.Municipality{
		Code: routingTenant, Name: "South Africa (benchmark)", Province: "GT", Boundary: square(-35.2, 16.2, -21.8, 33.2),
	}})
	if err != nil {
		b.Fatalf("CreateMunicipality: %v", err)
	}
	const per = 500
	for k := 0; k < len(wards); k += per {
		var feats []string
		for _, w := range wards[k:min(k+per, len(wards))] {
			feats = append(feats, string(w.Raw))
		}
		fc, err := benchStruct(`{"type":"FeatureCollection","features":[` + strings.Join(feats, ",") + `]}`)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := admin.ImportTeams(ctx, &routingv1.ImportTeamsRequest{Tenant: routingTenant, Category: commonv1.Category_CATEGORY_WATER,
			FeatureCollection: fc, NameProperty: "WARD", NamePrefix: wardPrefix}); err != nil {
			b.Fatalf("ImportTeams of wards %d..: %v", k, err)
		}
	}
}

// teamWard turns a team name back into its ward code.
func teamWard(name string) string { return strings.TrimPrefix(name, wardPrefix) }

// benchJSON is json.Unmarshal into a map, for structpb.
func benchJSON(raw string) (map[string]any, error) {
	var m map[string]any
	err := json.Unmarshal([]byte(raw), &m)
	return m, err
}
