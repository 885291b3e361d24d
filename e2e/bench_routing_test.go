package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/twpayne/go-geom"

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
	s := startSuite(b, options{envFor: map[string][]string{"routing": {"TICKET_ADDR="}}})
	ctx := context.Background()
	wards := validWards(b, s.db, all)
	importWards(b, s, wards)
	points := samplePoints(wards, scaled(10000, 200))

	rc := routingv1.NewRoutingInternalServiceClient(s.dial(s.routingAddr, s.token("routing-bench", routingTenant, "service")))
	pub := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, s.token("bench-agent", routingTenant, "agent")))
	loc := func(p geom.Coord) *commonv1.LatLng { return &commonv1.LatLng{Latitude: p[1], Longitude: p[0]} }
	teamName := map[string]string{} // team id -> name, filled from the answers
	answers := map[string][]string{"route": make([]string, len(points)), "explain": make([]string, len(points)), "raw": make([]string, len(points))}
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
		for _, name := range []string{"route", "explain", "raw"} {
			took, lat, err := loadRun(len(part), 1, func(i int) error { return ops[name](k + i) })
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
