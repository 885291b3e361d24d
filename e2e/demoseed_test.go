package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/geo"
)

// repoData is the repository's data folder (data/mdb2011).
func repoData() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(filepath.Dir(file)), "data")
}

// repairedWard is a ward of an MDB file whose shape PostGIS finds invalid,
// with a point inside its repaired shape.
type repairedWard struct {
	wardNo   string
	lat, lng float64
}

// repairedWards lists the invalid wards of a ward file and a point inside
// each one's repaired shape (ST_PointOnSurface of ST_MakeValid's polygons),
// computed by PostGIS (db) from the file itself.
func repairedWards(t *testing.T, db *pgxpool.Pool, path string) []repairedWard {
	t.Helper()
	fc, err := geo.ReadCollectionFile(path)
	require.NoError(t, err)
	var out []repairedWard
	for _, f := range fc["features"].([]any) {
		fm := f.(map[string]any)
		g, err := json.Marshal(fm["geometry"])
		require.NoError(t, err)
		var valid bool
		var lat, lng float64
		require.NoError(t, db.QueryRow(context.Background(), `SELECT ST_IsValid(g), ST_Y(p), ST_X(p) FROM
			(SELECT g, ST_PointOnSurface(ST_CollectionExtract(ST_MakeValid(g), 3)) p FROM
			(SELECT ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326) g) a) b`, string(g)).Scan(&valid, &lat, &lng))
		if !valid {
			out = append(out, repairedWard{wardNo: fmt.Sprint(fm["properties"].(map[string]any)["WARDNO"]), lat: lat, lng: lng})
		}
	}
	return out
}

func TestTheDemoLoadsTheCountryAndEveryCapeTownWard(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{})
	out, err := runCommand(t, "demoseed", []string{"-routing", s.routingAddr, "-data", repoData()},
		[]string{config.DevModeVar + "=1", "JWT_HS256_SECRET=" + secret})
	require.NoError(t, err, out)
	require.Contains(t, out, "municipalities (2011 Municipal Demarcation Board boundaries): 234 created, 0 updated, 3 repaired, 0 refused")
	require.Contains(t, out, "CPT water teams, one per ward: 111 created, 0 updated, 4 repaired, 0 refused")

	ctx := context.Background()
	citizen := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, s.token("citizen-1", "CPT", "citizen")))
	for code, p := range map[string]*commonv1.LatLng{
		"JHB": {Latitude: -26.2041, Longitude: 28.0473}, "ETH": {Latitude: -29.8587, Longitude: 31.0218},
		"NC091": {Latitude: -28.7282, Longitude: 24.7499}, "CPT": {Latitude: -33.9253, Longitude: 18.4239},
	} {
		resp, err := citizen.ResolveJurisdiction(ctx, &routingv1.ResolveJurisdictionRequest{Location: p})
		require.NoError(t, err, code)
		require.Equal(t, code, resp.GetMunicipality().GetCode())
	}

	// A ticket inside each repaired ward reaches that ward's water team.
	agent := s.token("agent-1", "CPT", "agent")
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, agent))
	wards := repairedWards(t, s.db, filepath.Join(repoData(), "mdb2011", "wards2011_CPT.geojson.gz"))
	require.Len(t, wards, 4)
	for _, w := range wards {
		created, err := tc.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_WATER,
			Description: "Burst pipe in ward " + w.wardNo, Location: &commonv1.LatLng{Latitude: w.lat, Longitude: w.lng}})
		require.NoError(t, err)
		got := s.waitRoutedAndClocked(tc, created.GetTicket().GetId())
		require.Equal(t, "Water ward "+w.wardNo, got.GetAssignedTeamName())
	}
	teams, err := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, agent)).ListTeams(ctx,
		&routingv1.ListTeamsRequest{Category: commonv1.Category_CATEGORY_WATER, PageSize: 1000})
	require.NoError(t, err)
	require.Len(t, teams.GetTeams(), 111)
	for _, team := range teams.GetTeams() {
		require.True(t, strings.HasPrefix(team.GetManagerId(), "mgr-water-ward-"), team.GetName())
	}

	// Running it again changes nothing.
	out, err = runCommand(t, "demoseed", []string{"-routing", s.routingAddr, "-data", repoData()},
		[]string{config.DevModeVar + "=1", "JWT_HS256_SECRET=" + secret})
	require.NoError(t, err, out)
	require.Contains(t, out, "111 updated, 4 repaired, 0 refused")
}
