package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/auth"
)

// gbvWorld is the state a random walk over every assignment path acts on.
type gbvWorld struct {
	e       *env
	rng     *rand.Rand
	teams   []string // every team id, of both municipalities
	names   []string // TST team names, for imports that hit existing teams
	tickets []string // GBV tickets routed so far
	levels  map[string]int32
	liaison context.Context
	// done counts the steps of each kind that were accepted, refused
	// counts the refusals: both must happen for the walk to mean anything.
	done, refused map[string]int
}

// TestGBVTicketsOnlyEverReachSAPSTeams walks at random, with a fixed seed,
// over every path that assigns a ticket or changes what a team is: routing
// a GBV ticket, reassignment by a SAPS liaison to any team, escalation at
// every level, patches of a team's escalation team, SAPS flag and active
// flag, team creation, imports over existing teams by name, deactivation.
// After every step no GBV assignment, current or past, may name a team
// that is not a SAPS team of the ticket's municipality; no step may fail
// with a server fault.
func TestGBVTicketsOnlyEverReachSAPSTeams(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	e.municipality("OTH")
	w := &gbvWorld{e: e, rng: rand.New(rand.NewPCG(12, 1)), levels: map[string]int32{},
		liaison: as(t, "TST", "liaison", auth.RoleSAPSLiaison), done: map[string]int{}, refused: map[string]int{}}
	for i, spec := range []struct {
		tenant string
		saps   bool
		area   *structpb.Struct
		cat    commonv1.Category
	}{
		{"TST", true, square(25, -30, 25.5, -29), gbv}, {"TST", true, square(25.5, -30, 26, -29), gbv},
		{"TST", true, nil, gbv}, {"TST", false, square(25, -30, 26, -29), gbv},
		{"TST", false, nil, water}, {"TST", false, square(25, -30, 26, -29), roads}, {"OTH", true, nil, gbv},
	} {
		name := fmt.Sprintf("Team %d", i)
		team := e.team(spec.tenant, &routingv1.Team{Name: name, Category: spec.cat, IsSaps: spec.saps,
			ManagerId: fmt.Sprintf("mgr-%d", i), ServiceArea: spec.area,
			Members: []*routingv1.TeamMember{{UserId: fmt.Sprintf("member-%d", i)}}})
		w.teams = append(w.teams, team.GetId())
		if spec.tenant == "TST" {
			w.names = append(w.names, name)
		}
	}
	steps := []struct {
		name string
		run  func() error
	}{
		{"route", w.route}, {"route", w.route}, {"reassign", w.reassign}, {"reassign", w.reassign},
		{"escalate", w.escalate}, {"escalate", w.escalate}, {"escalate", w.escalate},
		{"patch", w.patch}, {"patch", w.patch}, {"create", w.create}, {"import", w.importTeams}, {"deactivate", w.deactivate},
	}
	for i := range 400 {
		s := steps[w.rng.IntN(len(steps))]
		err := s.run()
		if err != nil {
			c := status.Code(err)
			require.Contains(t, []codes.Code{codes.InvalidArgument, codes.FailedPrecondition, codes.NotFound}, c,
				"step %d (%s) failed instead of being refused: %v", i, s.name, err)
			w.refused[s.name]++
		} else {
			w.done[s.name]++
		}
		bad := e.count(`SELECT count(*) FROM routing.assignments a LEFT JOIN routing.teams t ON t.id = a.team_id
			WHERE a.category = 'gbv' AND a.team_id IS NOT NULL AND NOT (t.is_saps AND t.tenant = a.tenant)`)
		require.Zero(t, bad, "after step %d (%s) a GBV ticket has (or had) a non-SAPS team", i, s.name)
	}
	for _, kind := range []string{"route", "reassign", "escalate", "patch", "import"} {
		require.Positive(t, w.done[kind], "no %s step was accepted: the walk proves little", kind)
	}
	require.Positive(t, e.count(`SELECT count(*) FROM routing.assignments WHERE category = 'gbv' AND escalation_level > 1`),
		"escalations beyond level 1 happened")
	t.Logf("accepted %v, refused %v", w.done, w.refused)
}

func (w *gbvWorld) pick() string { return w.teams[w.rng.IntN(len(w.teams))] }

func (w *gbvWorld) ticket() (string, bool) {
	if len(w.tickets) == 0 {
		return "", false
	}
	return w.tickets[w.rng.IntN(len(w.tickets))], true
}

func (w *gbvWorld) route() error {
	resp, err := w.e.internal.RouteTicket(service(w.e.t), &routingv1.RouteTicketRequest{
		Tenant: "TST", TicketId: newID(), Category: gbv,
		Location: &commonv1.LatLng{Latitude: -29.9 + 0.8*w.rng.Float64(), Longitude: 25.1 + 0.8*w.rng.Float64()},
	})
	if err == nil {
		w.tickets = append(w.tickets, resp.GetAssignment().GetTicketId())
	}
	return err
}

func (w *gbvWorld) reassign() error {
	id, ok := w.ticket()
	if !ok {
		return w.route()
	}
	_, err := w.e.public.ReassignTicket(w.liaison, &routingv1.ReassignTicketRequest{
		TicketId: id, TeamId: w.pick(), Note: "moved by the walk"})
	return err
}

func (w *gbvWorld) escalate() error {
	id, ok := w.ticket()
	if !ok {
		return w.route()
	}
	level := w.levels[id] + 1
	if w.rng.IntN(4) == 0 {
		level = int32(1 + w.rng.IntN(int(level))) // a repeat of a level already done
	}
	_, err := w.e.internal.EscalateTicket(service(w.e.t), &routingv1.EscalateTicketRequest{
		Tenant: "TST", TicketId: id, Level: level, Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH,
		Note: "resolution clock breached"})
	if err == nil && level > w.levels[id] {
		w.levels[id] = level
	}
	return err
}

func (w *gbvWorld) patch() error {
	team := &routingv1.Team{}
	var paths []string
	if w.rng.IntN(2) == 0 {
		if w.rng.IntN(4) > 0 {
			team.EscalationTeamId = w.pick()
		}
		paths = append(paths, "escalation_team_id")
	}
	if w.rng.IntN(2) == 0 {
		team.IsSaps = w.rng.IntN(2) == 0
		paths = append(paths, "is_saps")
	}
	if len(paths) == 0 || w.rng.IntN(3) == 0 {
		team.Active = w.rng.IntN(3) > 0
		paths = append(paths, "active")
	}
	_, err := w.e.public.UpdateTeam(admin(w.e.t, "TST"), &routingv1.UpdateTeamRequest{
		Id: w.pick(), Team: team, UpdateMask: &fieldmaskpb.FieldMask{Paths: paths}})
	return err
}

func (w *gbvWorld) create() error {
	name := fmt.Sprintf("Team %d", len(w.teams))
	resp, err := w.e.public.CreateTeam(admin(w.e.t, "TST"), &routingv1.CreateTeamRequest{Team: &routingv1.Team{
		Tenant: "TST", Name: name, Category: gbv, IsSaps: w.rng.IntN(2) == 0, EscalationTeamId: w.pick(),
		ManagerId: "mgr-" + name}})
	if err == nil {
		w.teams = append(w.teams, resp.GetTeam().GetId())
		w.names = append(w.names, name)
	}
	return err
}

// importTeams imports one area under the name of an existing team, so the
// import updates that team's SAPS flag and category.
func (w *gbvWorld) importTeams() error {
	name := w.names[w.rng.IntN(len(w.names))]
	fc, err := structpb.NewStruct(map[string]any{"type": "FeatureCollection", "features": []any{map[string]any{
		"type": "Feature", "properties": map[string]any{"NAME": name},
		"geometry": square(25.2, -29.8, 25.8, -29.2).AsMap(),
	}}})
	require.NoError(w.e.t, err)
	_, err = w.e.public.ImportTeams(admin(w.e.t, "TST"), &routingv1.ImportTeamsRequest{
		Tenant: "TST", Category: []commonv1.Category{gbv, water}[w.rng.IntN(2)], IsSaps: w.rng.IntN(2) == 0,
		FeatureCollection: fc, NameProperty: "NAME"})
	return err
}

func (w *gbvWorld) deactivate() error {
	_, err := w.e.public.DeactivateTeam(admin(w.e.t, "TST"), &routingv1.DeactivateTeamRequest{Id: w.pick()})
	return err
}
