package server_test

import (
	"context"

	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/auth"
)

func TestInvalidServiceAreasAreRefusedWithTheReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	crs, err := structpb.NewStruct(map[string]any{"type": "Polygon", "crs": map[string]any{"type": "name",
		"properties": map[string]any{"name": "EPSG:3857"}}, "coordinates": square(25, -30, 26, -29).AsMap()["coordinates"]})
	require.NoError(t, err)
	tests := []struct {
		name  string
		area  *structpb.Struct
		field string
		frag  string
	}{
		{"a self-intersecting bow-tie names the self-intersection", geometry("Polygon", []any{[]any{
			[]any{25.1, -29.9}, []any{25.9, -29.1}, []any{25.9, -29.9}, []any{25.1, -29.1}, []any{25.1, -29.9}}}),
			"team.service_area", "Self-intersection"},
		{"an unclosed ring is refused", geometry("Polygon", []any{[]any{
			[]any{25.1, -29.9}, []any{25.9, -29.9}, []any{25.9, -29.1}, []any{25.1, -29.1}}}),
			"team.service_area.coordinates[0]", "closed"},
		{"a ring of three positions is refused", geometry("Polygon", []any{[]any{
			[]any{25.1, -29.9}, []any{25.9, -29.9}, []any{25.1, -29.9}}}),
			"team.service_area.coordinates[0]", "at least 4"},
		{"coordinates outside SRID 4326 ranges are refused", square(2500000, -3000000, 2600000, -2900000),
			"team.service_area.coordinates[0][0]", "SRID 4326"},
		{"another CRS is refused", crs, "team.service_area.crs", "EPSG:4326"},
		{"a point is not an area", geometry("Point", []any{25.5, -29.5}), "team.service_area.type", "Polygon"},
		{"an area outside the municipality is refused", square(27, -30, 28, -29), "team.service_area", "inside the boundary of municipality TST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.public.CreateTeam(admin(t, "TST"), &routingv1.CreateTeamRequest{Team: &routingv1.Team{
				Name: "Bad " + tc.name, Category: water, ServiceArea: tc.area}})
			requireCode(t, err, codes.InvalidArgument, tc.field, tc.frag)
		})
	}
	require.Equal(t, 0, e.count(`SELECT count(*) FROM routing.teams`), "refused requests change nothing")
}

func TestTeamsLifeCycleAndAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	e.municipality("OTH")
	created := e.team("TST", &routingv1.Team{Name: "Water", Category: water, ManagerId: "m1",
		ServiceArea: square(25, -30, 25.5, -29.5)})
	require.NotEmpty(t, created.GetId())
	require.True(t, created.GetActive())
	require.InDelta(t, 2900, created.GetAreaSqKm(), 300, "half a degree square near 30°S is about 2,900 km²")
	require.Equal(t, "MultiPolygon", created.GetServiceArea().AsMap()["type"])

	_, err := e.public.CreateTeam(admin(t, "TST"), &routingv1.CreateTeamRequest{Team: &routingv1.Team{Name: "Water", Category: water}})
	requireCode(t, err, codes.AlreadyExists)
	_, err = e.public.CreateTeam(admin(t, "TST"), &routingv1.CreateTeamRequest{Team: &routingv1.Team{Name: "X"}})
	requireCode(t, err, codes.InvalidArgument, "team.category")
	_, err = e.public.CreateTeam(as(t, "TST", "agent", auth.RoleAgent), &routingv1.CreateTeamRequest{Team: &routingv1.Team{Name: "X", Category: water}})
	requireCode(t, err, codes.PermissionDenied)
	_, err = e.public.CreateTeam(admin(t, "OTH"), &routingv1.CreateTeamRequest{Team: &routingv1.Team{Tenant: "TST", Name: "X", Category: water}})
	requireCode(t, err, codes.PermissionDenied, "TST")

	upd, err := e.public.UpdateTeam(admin(t, "TST"), &routingv1.UpdateTeamRequest{
		Team:       &routingv1.Team{Id: created.GetId(), Name: "Water north", Members: []*routingv1.TeamMember{{UserId: "u1", DisplayName: "Una"}}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"name", "members"}},
	})
	require.NoError(t, err)
	require.Equal(t, "Water north", upd.GetTeam().GetName())
	require.Equal(t, "m1", upd.GetTeam().GetManagerId(), "fields outside the mask are kept")
	require.Len(t, upd.GetTeam().GetMembers(), 1)
	require.NotNil(t, upd.GetTeam().GetServiceArea(), "the area is kept when not in the mask")
	_, err = e.public.UpdateTeam(admin(t, "TST"), &routingv1.UpdateTeamRequest{Team: &routingv1.Team{Id: created.GetId()},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"tenant"}}})
	requireCode(t, err, codes.InvalidArgument, "update_mask")
	_, err = e.public.UpdateTeam(admin(t, "TST"), &routingv1.UpdateTeamRequest{
		Team:       &routingv1.Team{Id: created.GetId(), EscalationTeamId: created.GetId()},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"escalation_team_id"}}})
	requireCode(t, err, codes.InvalidArgument, "escalation_team_id")

	off, err := e.public.DeactivateTeam(admin(t, "TST"), &routingv1.DeactivateTeamRequest{Id: created.GetId()})
	require.NoError(t, err)
	require.False(t, off.GetTeam().GetActive())

	reader := as(t, "TST", "agent", auth.RoleAgent)
	list, err := e.public.ListTeams(reader, &routingv1.ListTeamsRequest{})
	require.NoError(t, err)
	require.Empty(t, list.GetTeams(), "inactive teams are hidden by default")
	list, err = e.public.ListTeams(reader, &routingv1.ListTeamsRequest{IncludeInactive: true})
	require.NoError(t, err)
	require.Len(t, list.GetTeams(), 1)
	require.Nil(t, list.GetTeams()[0].GetServiceArea(), "areas only when asked")

	got, err := e.public.GetTeam(reader, &routingv1.GetTeamRequest{Id: created.GetId()})
	require.NoError(t, err)
	require.Equal(t, "Water north", got.GetTeam().GetName())

	foreign := as(t, "OTH", "agent", auth.RoleAgent)
	_, err = e.public.GetTeam(foreign, &routingv1.GetTeamRequest{Id: created.GetId()})
	requireCode(t, err, codes.NotFound)
	_, err = e.public.UpdateTeam(admin(t, "OTH"), &routingv1.UpdateTeamRequest{Team: &routingv1.Team{Id: created.GetId(), Name: "Mine"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"name"}}})
	requireCode(t, err, codes.NotFound)
	_, err = e.public.ListTeams(foreign, &routingv1.ListTeamsRequest{Tenant: "TST"})
	requireCode(t, err, codes.PermissionDenied)
	_, err = e.public.GetTeam(as(t, "TST", "c", auth.RoleCitizen), &routingv1.GetTeamRequest{Id: created.GetId()})
	requireCode(t, err, codes.PermissionDenied)
}

func TestMunicipalitiesAreManagedByPlatformAdmins(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	_, err := e.public.CreateMunicipality(admin(t, "TST"), &routingv1.CreateMunicipalityRequest{
		Municipality: &routingv1.Municipality{Code: "NEW", Name: "New", Boundary: square(25, -30, 26, -29)}})
	requireCode(t, err, codes.PermissionDenied)
	_, err = e.public.CreateMunicipality(platform(t), &routingv1.CreateMunicipalityRequest{
		Municipality: &routingv1.Municipality{Code: "TST", Name: "Again", Boundary: square(25, -30, 26, -29)}})
	requireCode(t, err, codes.AlreadyExists)
	_, err = e.public.CreateMunicipality(platform(t), &routingv1.CreateMunicipalityRequest{
		Municipality: &routingv1.Municipality{Code: "lower", Name: "x", Boundary: square(25, -30, 26, -29)}})
	requireCode(t, err, codes.InvalidArgument, "municipality.code")
	_, err = e.public.CreateMunicipality(platform(t), &routingv1.CreateMunicipalityRequest{
		Municipality: &routingv1.Municipality{Code: "NOB", Name: "x"}})
	requireCode(t, err, codes.InvalidArgument, "municipality.boundary")

	upd, err := e.public.UpdateMunicipality(platform(t), &routingv1.UpdateMunicipalityRequest{
		Municipality: &routingv1.Municipality{Code: "TST", Name: "Renamed"},
		UpdateMask:   &fieldmaskpb.FieldMask{Paths: []string{"name"}}})
	require.NoError(t, err)
	require.Equal(t, "Renamed", upd.GetMunicipality().GetName())
	require.Equal(t, "FS", upd.GetMunicipality().GetProvince())

	citizen := as(t, "TST", "c", auth.RoleCitizen)
	got, err := e.public.GetMunicipality(citizen, &routingv1.GetMunicipalityRequest{Code: "TST"})
	require.NoError(t, err)
	require.NotNil(t, got.GetMunicipality().GetBoundary())
	list, err := e.public.ListMunicipalities(citizen, &routingv1.ListMunicipalitiesRequest{Province: "Free State"})
	require.NoError(t, err)
	require.Len(t, list.GetMunicipalities(), 1)
	require.Nil(t, list.GetMunicipalities()[0].GetBoundary())
	_, err = e.public.GetMunicipality(citizen, &routingv1.GetMunicipalityRequest{Code: "NOPE"})
	requireCode(t, err, codes.NotFound)

	_, err = e.public.CreateTeam(admin(t, "UNK"), &routingv1.CreateTeamRequest{Team: &routingv1.Team{
		Name: "W", Category: water, ServiceArea: square(25, -30, 26, -29)}})
	requireCode(t, err, codes.FailedPrecondition, "not registered")
}

func TestCallsWithoutATokenAreUnauthenticated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, err := e.public.ListMunicipalities(context.Background(), &routingv1.ListMunicipalitiesRequest{})
	requireCode(t, err, codes.Unauthenticated)
	_, err = e.internal.RouteTicket(context.Background(), &routingv1.RouteTicketRequest{})
	requireCode(t, err, codes.Unauthenticated)
}
