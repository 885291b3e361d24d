package server_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
)

// legacyEscalation writes a team's escalation team as data from before
// the SAPS rules could hold it.
func (e *env) legacyEscalation(team, target string) {
	e.t.Helper()
	e.legacyExec(`UPDATE routing.teams SET escalation_team_id = $2 WHERE id = $1`, team, target)
}

// legacyExec runs sql as the owner with triggers off, as data from before
// the SAPS rules could be.
func (e *env) legacyExec(sql string, args ...any) {
	e.t.Helper()
	ctx := context.Background()
	conn, err := e.pool.Acquire(ctx)
	require.NoError(e.t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, `SET session_replication_role = replica`)
	require.NoError(e.t, err)
	defer func() { _, _ = conn.Exec(ctx, `RESET session_replication_role`) }()
	_, err = conn.Exec(ctx, sql, args...)
	require.NoError(e.t, err)
}

// A GBV ticket is escalated at every level only to SAPS teams, whatever
// the teams' escalation teams say (here data older than the rule): to a
// SAPS escalation team, else its SAPS team's manager, else the same team
// without a person.
func TestGBVEscalationNeverLeavesSAPS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	mayors := e.team("TST", &routingv1.Team{Name: "Municipal managers", Category: water, ManagerId: "mayor-office"})
	station := e.team("TST", &routingv1.Team{Name: "SAPS station", Category: gbv, IsSaps: true, ManagerId: "station-commander",
		ServiceArea: square(25, -30, 25.5, -29)})
	cluster := e.team("TST", &routingv1.Team{Name: "SAPS cluster", Category: gbv, IsSaps: true,
		Members: []*routingv1.TeamMember{{UserId: "cluster-officer"}}, ServiceArea: square(25.5, -30, 26, -29)})
	e.legacyEscalation(station.GetId(), mayors.GetId())
	e.legacyEscalation(cluster.GetId(), station.GetId())

	tests := []struct {
		name           string
		lng            float64
		teams, persons []string // after levels 1, 2, 3
	}{
		{"a SAPS team escalating to the municipal managers keeps the ticket with its manager", 25.2,
			[]string{station.GetId(), station.GetId(), station.GetId()},
			[]string{"station-commander", "station-commander", "station-commander"}},
		{"a SAPS escalation team takes it, then its own rule holds", 25.7,
			[]string{station.GetId(), station.GetId(), station.GetId()},
			[]string{"station-commander", "station-commander", "station-commander"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ticket := e.route("TST", gbv, -29.5, tc.lng).GetAssignment().GetTicketId()
			for level := int32(1); level <= 3; level++ {
				resp, err := e.internal.EscalateTicket(service(t), &routingv1.EscalateTicketRequest{Tenant: "TST", TicketId: ticket,
					Level: level, Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH, Note: "response clock breached"})
				require.NoError(t, err, "level %d", level)
				require.Equal(t, tc.teams[level-1], resp.GetAssignment().GetTeamId(), "level %d", level)
				require.Equal(t, tc.persons[level-1], resp.GetAssignment().GetAssignedPersonId(), "level %d", level)
			}
		})
	}

	// Without a manager the escalation stays on the same SAPS team.
	bare := e.team("TST", &routingv1.Team{Name: "SAPS desk", Category: gbv, IsSaps: true})
	e.legacyEscalation(bare.GetId(), mayors.GetId())
	_, err := e.public.UpdateTeam(admin(t, "TST"), &routingv1.UpdateTeamRequest{Id: station.GetId(),
		Team: &routingv1.Team{Active: false}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"active"}}})
	requireCode(t, err, codes.InvalidArgument, "team.escalation_team_id") // the legacy target must be fixed first
	_, err = e.public.UpdateTeam(admin(t, "TST"), &routingv1.UpdateTeamRequest{Id: cluster.GetId(),
		Team: &routingv1.Team{Active: false}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"active"}}})
	require.NoError(t, err)
	_, err = e.public.UpdateTeam(admin(t, "TST"), &routingv1.UpdateTeamRequest{Id: station.GetId(),
		Team: &routingv1.Team{Active: false}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"active", "escalation_team_id"}}})
	require.NoError(t, err)
	ticket := e.route("TST", gbv, -29.5, 25.5).GetAssignment().GetTicketId()
	require.Equal(t, 1, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1 AND team_id = $2`, ticket, bare.GetId()))
	resp, err := e.internal.EscalateTicket(service(t), &routingv1.EscalateTicketRequest{Tenant: "TST", TicketId: ticket,
		Level: 1, Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_ESCALATION})
	require.NoError(t, err)
	require.Equal(t, bare.GetId(), resp.GetAssignment().GetTeamId())
	require.Empty(t, resp.GetAssignment().GetAssignedPersonId())

	require.Zero(t, e.count(`SELECT count(*) FROM routing.assignments a JOIN routing.teams t ON t.id = a.team_id
		WHERE a.category = 'gbv' AND NOT t.is_saps`))

	// A GBV ticket left on a team that is not SAPS by history older than the
	// rule is escalated out of it, to the triage queue only SAPS liaisons see.
	stray := newID()
	e.legacyExec(`INSERT INTO routing.assignments (id, tenant, ticket_id, category, team_id, assigned_by, reason, is_current)
		VALUES (gen_random_uuid(), 'TST', $1, 'gbv', $2, 'system', 'geospatial_routing', true)`, stray, mayors.GetId())
	resp, err = e.internal.EscalateTicket(service(t), &routingv1.EscalateTicketRequest{Tenant: "TST", TicketId: stray,
		Level: 1, Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH})
	require.NoError(t, err)
	require.Empty(t, resp.GetAssignment().GetTeamId())
	require.Empty(t, resp.GetAssignment().GetAssignedPersonId())
}

// Every way a team can change refuses what would let a GBV ticket reach a
// team that is not SAPS, names the field or says why, and changes nothing.
func TestTeamChangesKeepGBVWithSAPS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	mayors := e.team("TST", &routingv1.Team{Name: "Municipal managers", Category: water, ManagerId: "mayor-office"})
	holder := e.team("TST", &routingv1.Team{Name: "SAPS station", Category: gbv, IsSaps: true, ServiceArea: square(25, -30, 26, -29)})
	target := e.team("TST", &routingv1.Team{Name: "SAPS cluster", Category: gbv, IsSaps: true})
	e.team("TST", &routingv1.Team{Name: "SAPS spare", Category: gbv, IsSaps: true, EscalationTeamId: target.GetId()})
	counsellors := e.team("TST", &routingv1.Team{Name: "Counsellors", Category: gbv, EscalationTeamId: mayors.GetId()})
	ticket := e.route("TST", gbv, -29.5, 25.5).GetAssignment().GetTicketId()
	a := admin(t, "TST")
	patch := func(id string, team *routingv1.Team, paths ...string) error {
		_, err := e.public.UpdateTeam(a, &routingv1.UpdateTeamRequest{Id: id, Team: team, UpdateMask: &fieldmaskpb.FieldMask{Paths: paths}})
		return err
	}
	feature := func(name string) *structpb.Struct {
		fc, err := structpb.NewStruct(map[string]any{"type": "FeatureCollection", "features": []any{map[string]any{
			"type": "Feature", "properties": map[string]any{"NAME": name}, "geometry": square(25.2, -29.8, 25.8, -29.2).AsMap()}}})
		require.NoError(t, err)
		return fc
	}
	before := e.count(`SELECT count(*) FROM routing.teams WHERE updated_at > created_at`)

	tests := []struct {
		name string
		call func() error
		code codes.Code
		frag []string
	}{
		{"a new SAPS team may not escalate to the municipal managers", func() error {
			_, err := e.public.CreateTeam(a, &routingv1.CreateTeamRequest{Team: &routingv1.Team{Name: "SAPS new", Category: gbv,
				IsSaps: true, EscalationTeamId: mayors.GetId()}})
			return err
		}, codes.InvalidArgument, []string{"team.escalation_team_id", "SAPS"}},
		{"a SAPS team may not be given a non-SAPS escalation team", func() error {
			return patch(holder.GetId(), &routingv1.Team{EscalationTeamId: mayors.GetId()}, "escalation_team_id")
		}, codes.InvalidArgument, []string{"team.escalation_team_id", "SAPS"}},
		{"a team escalating to a non-SAPS team may not become SAPS", func() error {
			return patch(counsellors.GetId(), &routingv1.Team{IsSaps: true}, "is_saps")
		}, codes.InvalidArgument, []string{"team.escalation_team_id", "SAPS"}},
		{"a team holding a GBV ticket may not stop being SAPS", func() error {
			return patch(holder.GetId(), &routingv1.Team{IsSaps: false}, "is_saps")
		}, codes.FailedPrecondition, []string{"SAPS station", "GBV"}},
		{"a SAPS team's escalation team may not stop being SAPS", func() error {
			return patch(target.GetId(), &routingv1.Team{IsSaps: false}, "is_saps")
		}, codes.FailedPrecondition, []string{"SAPS cluster", "SAPS spare"}},
		{"an import may not make a team holding a GBV ticket non-SAPS", func() error {
			_, err := e.public.ImportTeams(a, &routingv1.ImportTeamsRequest{Category: water, FeatureCollection: feature("SAPS station"),
				NameProperty: "NAME"})
			return err
		}, codes.FailedPrecondition, []string{"feature_collection.features[0]", "SAPS station", "GBV"}},
		{"an import may not make a SAPS escalation team non-SAPS", func() error {
			_, err := e.public.ImportTeams(a, &routingv1.ImportTeamsRequest{Category: gbv, FeatureCollection: feature("SAPS cluster"),
				NameProperty: "NAME"})
			return err
		}, codes.FailedPrecondition, []string{"feature_collection.features[0]", "SAPS spare"}},
		{"an import may not make a team escalating outside SAPS a SAPS team", func() error {
			_, err := e.public.ImportTeams(a, &routingv1.ImportTeamsRequest{Category: gbv, IsSaps: true,
				FeatureCollection: feature("Counsellors"), NameProperty: "NAME"})
			return err
		}, codes.InvalidArgument, []string{"is_saps", "feature_collection.features[0]", "escalation_team_id"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			requireCode(t, tc.call(), tc.code, tc.frag...)
		})
	}
	require.Equal(t, before, e.count(`SELECT count(*) FROM routing.teams WHERE updated_at > created_at`), "refusals change nothing")
	require.Equal(t, 5, e.count(`SELECT count(*) FROM routing.teams`))

	// Deactivating the SAPS team that holds the ticket leaves it there.
	_, err := e.public.DeactivateTeam(a, &routingv1.DeactivateTeamRequest{Id: holder.GetId()})
	require.NoError(t, err)
	require.Equal(t, 1, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1 AND is_current AND team_id = $2`,
		ticket, holder.GetId()))
	// Re-importing a SAPS team as SAPS is fine.
	_, err = e.public.ImportTeams(a, &routingv1.ImportTeamsRequest{Category: gbv, IsSaps: true, FeatureCollection: feature("SAPS station"),
		NameProperty: "NAME"})
	require.NoError(t, err)
}
