package e2e

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/structpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
)

// The test city: a square municipality (code TST) split into a west and an
// east water team, city-wide teams for the other categories, and a SAPS
// liaison team. Points are in the Western Cape so they pass the South
// Africa check.
const (
	cityMinLat, cityMinLng = -34.00, 18.40
	cityMaxLat, cityMaxLng = -33.80, 18.60
	splitLng               = 18.50
)

var (
	westPoint = &commonv1.LatLng{Latitude: -33.90, Longitude: 18.45}
	eastPoint = &commonv1.LatLng{Latitude: -33.90, Longitude: 18.55}
)

// seeded names the teams created by seedCity.
type seeded struct {
	westWater, eastWater, roads, saps string // team ids
}

func square(minLat, minLng, maxLat, maxLng float64) *structpb.Struct {
	ring := []any{
		[]any{minLng, minLat}, []any{maxLng, minLat}, []any{maxLng, maxLat}, []any{minLng, maxLat}, []any{minLng, minLat},
	}
	st, err := structpb.NewStruct(map[string]any{"type": "Polygon", "coordinates": []any{ring}})
	if err != nil {
		panic(err)
	}
	return st
}

// seedCity creates municipality TST and its teams through the routing API.
func (s *suite) seedCity(t testing.TB, tenant string) seeded {
	t.Helper()
	ctx := context.Background()
	admin := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, s.token("seed-admin", tenant, "platform_admin", "municipal_admin")))
	_, err := admin.CreateMunicipality(ctx, &routingv1.CreateMunicipalityRequest{Municipality: &routingv1.Municipality{
		Code: tenant, Name: "Test City " + tenant, Province: "WC",
		Boundary: square(cityMinLat, cityMinLng, cityMaxLat, cityMaxLng),
	}})
	require.NoError(t, err)
	mk := func(name string, cat commonv1.Category, saps bool, area *structpb.Struct) string {
		resp, err := admin.CreateTeam(ctx, &routingv1.CreateTeamRequest{Team: &routingv1.Team{
			Tenant: tenant, Name: name, Category: cat, IsSaps: saps, Active: true, ServiceArea: area,
			ManagerId: "mgr-" + name,
		}})
		require.NoError(t, err, "create team %s", name)
		return resp.GetTeam().GetId()
	}
	city := square(cityMinLat, cityMinLng, cityMaxLat, cityMaxLng)
	return seeded{
		westWater: mk("Water West", commonv1.Category_CATEGORY_WATER, false, square(cityMinLat, cityMinLng, cityMaxLat, splitLng)),
		eastWater: mk("Water East", commonv1.Category_CATEGORY_WATER, false, square(cityMinLat, splitLng, cityMaxLat, cityMaxLng)),
		roads:     mk("Roads", commonv1.Category_CATEGORY_ROADS, false, city),
		saps:      mk("SAPS Liaison", commonv1.Category_CATEGORY_GBV, true, city),
	}
}
