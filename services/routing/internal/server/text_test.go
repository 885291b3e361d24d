package server_test

import (
	"testing"

	"google.golang.org/grpc/codes"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
)

func TestControlCharactersInTextAreBadInputNotAServerError(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	tests := []struct {
		name string
		team *routingv1.Team
		frag string
	}{
		{"a NUL byte in a team name is refused", &routingv1.Team{Name: "Roads\x00", Category: water}, "team.name"},
		{"a bell character in a team name is refused", &routingv1.Team{Name: "Ro\aads", Category: water}, "team.name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.public.CreateTeam(admin(t, "TST"), &routingv1.CreateTeamRequest{Team: tc.team})
			requireCode(t, err, codes.InvalidArgument, tc.frag, "control characters")
		})
	}
	if n := e.count(`SELECT count(*) FROM routing.teams`); n != 0 {
		t.Fatalf("refused requests created %d teams", n)
	}
}
