package domain_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// code is the gRPC code err maps to (libs/apperr).
func code(err error) codes.Code {
	var de *apperr.Error
	switch {
	case err == nil:
		return codes.OK
	case errors.As(err, &de):
		return de.Code()
	}
	return codes.Unknown
}

func TestAGBVEscalationNeverLeavesSAPSTeamsOfItsMunicipality(t *testing.T) {
	t.Parallel()
	team := func(id, tenant string, saps bool, manager string) *domain.Team {
		return &domain.Team{ID: id, Tenant: tenant, IsSAPS: saps, ManagerID: manager}
	}
	gbv := domain.Assignment{Tenant: "CPT", Category: word.CategoryGBV, TeamID: "station"}
	water := domain.Assignment{Tenant: "CPT", Category: word.CategoryWater, TeamID: "crew"}
	tests := []struct {
		name       string
		cur        domain.Assignment
		team, next *domain.Team
		want       domain.Escalation
	}{
		{"a ticket in triage stays there", gbv, nil, nil, domain.Escalation{}},
		{"a GBV ticket goes to a SAPS escalation team's manager", gbv, team("station", "CPT", true, "commander"),
			team("cluster", "CPT", true, "colonel"), domain.Escalation{TeamID: "cluster", PersonID: "colonel"}},
		{"a GBV ticket goes to a SAPS escalation team's least-loaded member without a manager", gbv,
			team("station", "CPT", true, "commander"), team("cluster", "CPT", true, ""), domain.Escalation{TeamID: "cluster", PickMember: true}},
		{"a GBV ticket stays with its SAPS team's manager when the escalation team is not SAPS", gbv,
			team("station", "CPT", true, "commander"), team("mayors", "CPT", false, "mayor"), domain.Escalation{TeamID: "station", PersonID: "commander"}},
		{"a GBV ticket stays with its SAPS team's manager when the escalation team is another municipality's", gbv,
			team("station", "CPT", true, "commander"), team("jhb", "JHB", true, "other"), domain.Escalation{TeamID: "station", PersonID: "commander"}},
		{"a GBV ticket stays with its SAPS team's manager without an escalation team", gbv,
			team("station", "CPT", true, "commander"), nil, domain.Escalation{TeamID: "station", PersonID: "commander"}},
		{"a GBV ticket on a team that is not SAPS goes to triage", gbv, team("mayors", "CPT", false, "mayor"),
			team("cluster", "CPT", true, "colonel"), domain.Escalation{}},
		{"any other ticket follows the escalation team", water, team("crew", "CPT", false, "lead"),
			team("bosses", "CPT", false, "chief"), domain.Escalation{TeamID: "bosses", PersonID: "chief"}},
		{"any other ticket without an escalation team goes to its team's manager", water, team("crew", "CPT", false, "lead"),
			nil, domain.Escalation{TeamID: "crew", PersonID: "lead"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, domain.EscalationOf(tt.cur, tt.team, tt.next))
		})
	}
}

func TestAReassignmentGoesOnlyWhereTheRulesAllow(t *testing.T) {
	t.Parallel()
	saps := domain.Team{ID: "s", Tenant: "CPT", Name: "SAPS", IsSAPS: true, Active: true, ManagerID: "commander",
		Members: []domain.Member{{UserID: "officer"}}}
	plain := domain.Team{ID: "p", Tenant: "CPT", Name: "Roads", Active: true}
	gbv := domain.Assignment{Tenant: "CPT", Category: word.CategoryGBV}
	roads := domain.Assignment{Tenant: "CPT", Category: word.CategoryRoads}
	with := func(t domain.Team, edit func(*domain.Team)) domain.Team { edit(&t); return t }
	tests := []struct {
		name   string
		cur    domain.Assignment
		team   domain.Team
		person string
		want   codes.Code
		field  string
	}{
		{"a GBV ticket to a SAPS team's member", gbv, saps, "officer", codes.OK, ""},
		{"a GBV ticket to a SAPS team's manager", gbv, saps, "commander", codes.OK, ""},
		{"a GBV ticket to a team that is not SAPS", gbv, plain, "", codes.InvalidArgument, "team_id"},
		{"a GBV ticket to another municipality's SAPS team", gbv, with(saps, func(t *domain.Team) { t.Tenant = "JHB" }), "", codes.InvalidArgument, "team_id"},
		{"a ticket to an inactive team", roads, with(plain, func(t *domain.Team) { t.Active = false }), "", codes.FailedPrecondition, ""},
		{"a ticket to someone outside the team", roads, plain, "stranger", codes.InvalidArgument, "person_id"},
		{"a ticket to another team of its municipality", roads, plain, "", codes.OK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := domain.MayReassignTo(tt.cur, tt.team, tt.person)
			require.Equal(t, tt.want, code(err), "%v", err)
			if tt.field != "" {
				require.ErrorContains(t, err, tt.field)
			}
		})
	}
}

func TestASAPSTeamEscalatesOnlyToAnotherSAPSTeamOfItsMunicipality(t *testing.T) {
	t.Parallel()
	saps := domain.Team{ID: "s", Tenant: "CPT", IsSAPS: true}
	tests := []struct {
		name   string
		team   domain.Team
		target *domain.Team
		ok     bool
	}{
		{"a SAPS team to a SAPS team", saps, &domain.Team{ID: "t", Tenant: "CPT", IsSAPS: true}, true},
		{"a SAPS team to a team that is not SAPS", saps, &domain.Team{ID: "t", Tenant: "CPT"}, false},
		{"a team to a team of another municipality", domain.Team{ID: "w", Tenant: "CPT"}, &domain.Team{ID: "t", Tenant: "JHB"}, false},
		{"a team to itself", domain.Team{ID: "w", Tenant: "CPT"}, &domain.Team{ID: "w", Tenant: "CPT"}, false},
		{"a team to one the caller cannot see", domain.Team{ID: "w", Tenant: "CPT"}, nil, false},
		{"a team to another team", domain.Team{ID: "w", Tenant: "CPT"}, &domain.Team{ID: "t", Tenant: "CPT"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := domain.CheckEscalationTeam(tt.team, tt.target)
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, "team.escalation_team_id")
		})
	}
}

func TestATeamGBVDependsOnStaysSAPS(t *testing.T) {
	t.Parallel()
	station := domain.Team{Name: "SAPS station", IsSAPS: true}
	require.False(t, domain.LosesSAPS(station, true))
	require.False(t, domain.LosesSAPS(domain.Team{}, false))
	require.True(t, domain.LosesSAPS(station, false))
	require.NoError(t, domain.CheckStaysSAPS(station, domain.SAPSDependants{}, ""))
	require.ErrorContains(t, domain.CheckStaysSAPS(station, domain.SAPSDependants{HeldGBV: true}, "features[0]: "), "features[0]: team \"SAPS station\" holds")
	require.ErrorContains(t, domain.CheckStaysSAPS(station, domain.SAPSDependants{Escalating: []string{"SAPS spare"}}, ""), "SAPS spare")
}

func TestOnlyTheTenantsLiaisonTouchesAGBVTicket(t *testing.T) {
	t.Parallel()
	gbv := domain.Assignment{Tenant: "CPT", Category: word.CategoryGBV}
	caller := func(tenant string, roles ...string) access.Caller {
		return access.FromClaims(auth.Claims{Subject: "s", Tenant: tenant, Roles: roles})
	}
	tests := []struct {
		name   string
		caller access.Caller
		ok     bool
	}{
		{"the tenant's SAPS liaison", caller("CPT", auth.RoleSAPSLiaison), true},
		{"a team manager", caller("CPT", auth.RoleTeamManager), false},
		{"a municipal admin", caller("CPT", auth.RoleMunicipalAdmin), false},
		{"a platform admin who is also a liaison", caller(auth.AllTenants, auth.RolePlatformAdmin, auth.RoleSAPSLiaison), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := domain.MayTouch(tt.caller, gbv)
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, domain.ErrTicketNotFound, "a GBV ticket reads as a missing one")
			require.NoError(t, domain.MayTouch(tt.caller, domain.Assignment{Tenant: "CPT", Category: word.CategoryRoads}))
		})
	}
}

func TestPagesWalkAListOnce(t *testing.T) {
	t.Parallel()
	items := []int{1, 2, 3, 4, 5}
	var got []int
	token := ""
	for range 10 {
		p, err := domain.TeamsPage.Of(2, token)
		require.NoError(t, err)
		end := min(p.Offset+p.Limit, len(items))
		var page []int
		page, token = domain.NextPage(items[p.Offset:end], p)
		got = append(got, page...)
		if token == "" {
			break
		}
	}
	require.Equal(t, items, got)
	p, err := domain.MunicipalitiesPage.Of(10_000, "")
	require.NoError(t, err)
	require.Equal(t, 501, p.Limit, "the largest page, and one row to look ahead")
	for _, bad := range []struct {
		size  int32
		token string
		field string
	}{{-1, "", "page_size"}, {0, "not a token", "page_token"}, {0, "LTE", "page_token"}} {
		_, err := domain.TeamsPage.Of(bad.size, bad.token)
		require.ErrorContains(t, err, bad.field, "%d %q", bad.size, bad.token)
	}
}

func TestAnAnswerIsLoggedOncePerTenantWithEachTicketOnce(t *testing.T) {
	t.Parallel()
	sealed := &domain.SealedNote{KeyID: "k"}
	as := []*domain.Assignment{
		{Tenant: "CPT", TicketID: "t1", SealedNote: sealed}, {Tenant: "CPT", TicketID: "t1", SealedNote: sealed},
		{Tenant: "CPT", TicketID: "t2"}, {Tenant: "JHB", TicketID: "t3", SealedNote: sealed}, {Tenant: "CPT", TicketID: "t4", SealedNote: sealed},
	}
	n := 0
	newID := func() string { n++; return fmt.Sprintf("e%d", n) }
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	r := domain.Reader{Subject: "liaison", Roles: []string{auth.RoleSAPSLiaison}}
	got := domain.Disclosures(r, domain.ActionListAssignments, at, newID, as...)
	require.Equal(t, []domain.Disclosure{
		{Tenant: "CPT", TicketIDs: []string{"t1", "t4"}, Subject: "liaison", Roles: r.Roles, Action: "routing.ListAssignments", EventID: "e1", Time: at},
		{Tenant: "JHB", TicketIDs: []string{"t3"}, Subject: "liaison", Roles: r.Roles, Action: "routing.ListAssignments", EventID: "e2", Time: at},
	}, got)
	require.Empty(t, domain.Disclosures(r, domain.ActionRouteTicket, at, newID, &domain.Assignment{Tenant: "CPT"}), "no sealed note, no entry")
}

func TestBadRequestsNameTheFieldTheyBreak(t *testing.T) {
	t.Parallel()
	id := "6f0c2d4e-2b1a-4f35-9a59-0d1f3f7c8a11"
	here := &domain.Point{Lat: -33.9, Lng: 18.4}
	tests := []struct {
		name  string
		check func() error
		field string
	}{
		{"a route without a tenant", domain.RouteRequest{TicketID: id, Category: word.CategoryWater, Location: here}.Validate, "tenant"},
		{"a route of a ticket id that is no UUID", domain.RouteRequest{Tenant: "CPT", TicketID: "x", Category: word.CategoryWater, Location: here}.Validate, "ticket_id"},
		{"a route without a category", domain.RouteRequest{Tenant: "CPT", TicketID: id, Location: here}.Validate, "category"},
		{"a route outside South Africa", domain.RouteRequest{Tenant: "CPT", TicketID: id, Category: word.CategoryWater, Location: &domain.Point{Lat: 51.5, Lng: 0}}.Validate, "location.latitude"},
		{"an escalation to level 0", domain.EscalateRequest{Tenant: "CPT", TicketID: id, Reason: word.ReasonSLABreach}.Validate, "level"},
		{"an escalation for a manual reason", domain.EscalateRequest{Tenant: "CPT", TicketID: id, Level: 1, Reason: word.ReasonManualOverride}.Validate, "reason"},
		{"a status without a status", domain.StatusReport{Tenant: "CPT", TicketID: id}.Validate, "status"},
		{"a status with a negative sequence", domain.StatusReport{Tenant: "CPT", TicketID: id, Status: "open", Sequence: -1}.Validate, "sequence"},
		{"a reassignment without a note", domain.ReassignRequest{TicketID: id, TeamID: id}.Validate, "note"},
		{"a reassignment with a control character in the person", domain.ReassignRequest{TicketID: id, TeamID: id, Note: "x", PersonID: "a\x00"}.Validate, "person_id"},
		{"a team patch without a mask", func() error { _, err := domain.TeamChange{PathID: id}.Patch(); return err }, "update_mask"},
		{"a team patch of the tenant", func() error { _, err := domain.TeamChange{PathID: id, Paths: []string{"tenant"}}.Patch(); return err }, "update_mask"},
		{"a team patch whose body names another team", func() error {
			_, err := domain.TeamChange{PathID: id, TeamInput: domain.TeamInput{ID: "6f0c2d4e-2b1a-4f35-9a59-0d1f3f7c8a12"}, Paths: []string{"name"}}.Patch()
			return err
		}, "team.id"},
		{"a team with members named twice", func() error {
			_, err := domain.TeamInput{Name: "W", Category: word.CategoryWater, Members: []domain.Member{{UserID: "u"}, {UserID: "u"}}}.NewTeam("CPT")
			return err
		}, "team.members[1].user_id"},
		{"a municipality with a lower-case code", func() error { _, err := (&domain.MunicipalityInput{Code: "cpt"}).Build("municipality"); return err }, "municipality.code"},
		{"no municipality at all", func() error { _, err := (*domain.MunicipalityInput)(nil).Build("municipality"); return err }, "municipality"},
		{"a municipality in an unknown province", func() error {
			_, err := domain.MunicipalityChange{PathCode: "CPT", Paths: []string{"province"}, MunicipalityInput: domain.MunicipalityInput{Province: "Atlantis"}}.Patch()
			return err
		}, "municipality.province"},
		{"an import without a name property", func() error { _, err := domain.TeamImport{Category: word.CategoryWater}.Teams("CPT"); return err }, "name_property"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.check()
			require.Equal(t, codes.InvalidArgument, code(err), "%v", err)
			require.ErrorContains(t, err, "invalid "+tt.field)
		})
	}
}
