package domain_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

func person(sub, tenant string, roles ...string) access.Caller {
	return access.FromClaims(auth.Claims{Subject: sub, Tenant: tenant, Roles: roles})
}

func code(err error) codes.Code { return apperr.ToStatus(context.Background(), err).Code() }

func TestEachCallerSeesTheTicketsItsRolesAllow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		caller access.Caller
		want   domain.Visibility
	}{
		{"a citizen sees the reports they made in their municipality", person("c1", "CPT", auth.RoleCitizen),
			domain.Visibility{Tenant: "CPT", Reporter: "c1"}},
		{"an agent sees the municipality's non-GBV tickets", person("a1", "CPT", auth.RoleAgent), domain.Visibility{Tenant: "CPT"}},
		{"the SAPS liaison sees the municipality's tickets with GBV", person("s1", "CPT", auth.RoleSAPSLiaison),
			domain.Visibility{Tenant: "CPT", GBV: true}},
		{"a platform admin sees every municipality without GBV", person("root", "*", auth.RolePlatformAdmin),
			domain.Visibility{AllTenants: true}},
		{"a platform admin who is also a liaison sees no GBV", person("root", "*", auth.RolePlatformAdmin, auth.RoleSAPSLiaison),
			domain.Visibility{AllTenants: true}},
		{"a staff role bound to no municipality sees nothing but its own reports", person("x", "*", auth.RoleAgent),
			domain.Visibility{Reporter: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, domain.VisibilityOf(tt.caller))
		})
	}
}

func TestAStatusMoveIsDecidedByWhoAsksAndTheLifeCycle(t *testing.T) {
	t.Parallel()
	open := domain.Ticket{ID: "t1", Tenant: "CPT", Category: word.CategoryWater, Status: word.StatusOpen, ReporterSubject: "c1"}
	gbv := open
	gbv.Category = word.CategoryGBV
	cancel := domain.StatusChange{TicketID: "t1", To: word.StatusCancelled, Reason: "duplicate"}
	work := domain.StatusChange{TicketID: "t1", To: word.StatusInProgress}
	tests := []struct {
		name   string
		caller access.Caller
		ticket domain.Ticket
		change domain.StatusChange
		code   codes.Code
		first  bool
	}{
		{"the reporter cancels their own open ticket", person("c1", "CPT", auth.RoleCitizen), open, cancel, codes.OK, false},
		{"another citizen may not cancel it", person("c2", "CPT", auth.RoleCitizen), open, cancel, codes.PermissionDenied, false},
		{"the reporter may not work it", person("c1", "CPT", auth.RoleCitizen), open, work, codes.PermissionDenied, false},
		{"staff's first move out of open is the first response", person("a1", "CPT", auth.RoleAgent), open, work, codes.OK, true},
		{"an illegal transition is refused naming it", person("a1", "CPT", auth.RoleAgent), open,
			domain.StatusChange{TicketID: "t1", To: word.StatusClosed}, codes.FailedPrecondition, false},
		{"an agent may not move a GBV ticket", person("a1", "CPT", auth.RoleAgent), gbv, work, codes.NotFound, false},
		{"the SAPS liaison moves a GBV ticket", person("s1", "CPT", auth.RoleSAPSLiaison), gbv, work, codes.OK, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := domain.DecideMove(tt.caller, tt.ticket, tt.change)
			require.Equal(t, tt.code, code(err), "%v", err)
			require.Equal(t, tt.first, m.FirstResponse)
			if err == nil {
				now := time.Now()
				after := tt.ticket.Apply(m, now)
				require.Equal(t, tt.change.To, after.Status)
				require.Equal(t, tt.first, after.FirstRespondedAt != nil)
			}
		})
	}
}

func TestAReportIsFiledInTheReportersOwnMunicipality(t *testing.T) {
	t.Parallel()
	valid := func(tenant string) domain.CreateInput {
		return domain.CreateInput{Tenant: tenant, Category: word.CategoryWater, Description: "Leak", Location: &domain.Point{Lat: -33.9, Lng: 18.4}}
	}
	in := valid("")
	require.NoError(t, in.Resolve(person("c1", "CPT", auth.RoleCitizen)))
	require.Equal(t, "CPT", in.Tenant, "the caller's municipality by default")
	require.Equal(t, domain.ChannelWeb, in.Channel, "the web channel by default")
	in = valid("JHB")
	require.Equal(t, codes.PermissionDenied, code(in.Resolve(person("c1", "CPT", auth.RoleCitizen))))
	in = valid("")
	require.Equal(t, codes.PermissionDenied, code(in.Resolve(person("root", "*", auth.RolePlatformAdmin))),
		"a caller bound to no municipality files in none")
}
