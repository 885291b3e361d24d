package access_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
)

// user, service and gateway build callers as the server does, from claims.
func user(tenant string, roles ...string) access.Caller {
	return access.FromClaims(auth.Claims{Subject: "u", Tenant: tenant, Roles: roles, Kind: auth.KindUser})
}

func service(tenant string) access.Caller {
	return access.FromClaims(auth.Claims{Subject: "routing", Tenant: tenant, Roles: []string{auth.RoleService}, Kind: auth.KindService})
}

func gateway(tenant string) access.Caller {
	return access.FromClaims(auth.Claims{Subject: "gateway", Tenant: tenant, Roles: []string{auth.RoleService}, Kind: auth.KindGateway})
}

// code is the gRPC code of err: OK for nil.
func code(err error) codes.Code {
	if err == nil {
		return codes.OK
	}
	return apperr.ToStatus(context.Background(), err).Code()
}

// rules is what one caller may do: one field per rule of the package.
type rules struct {
	staff, all, seeGBV, actGBV, service, gateway, citizen bool
	// countGBV is CanCountGBV: GBV counts in reports.
	countGBV                                         bool
	requireStaff, requirePerson, requireService      codes.Code
	requireInternal, requireStaffOrService           codes.Code
	requirePlatform, requireAdmin, requireSupervisor codes.Code
	// tenantDefault, tenantOwn and tenantOther are the codes of Tenant
	// with no municipality, CPT and JHB; defaultTo is what "" resolves to.
	tenantDefault, tenantOwn, tenantOther codes.Code
	defaultTo                             string
	scope                                 pg.Scope
	forCitizen                            codes.Code
}

func TestEveryRoleAgainstEveryRule(t *testing.T) {
	t.Parallel()
	const ok, denied, invalid = codes.OK, codes.PermissionDenied, codes.InvalidArgument
	cpt := func(roles ...string) pg.Scope { return pg.Scope{Tenant: "CPT", Subject: "u", Roles: roles} }
	tests := []struct {
		name   string
		caller access.Caller
		want   rules
	}{
		{"a citizen reads their own municipality's public things", user("CPT", auth.RoleCitizen), rules{citizen: true,
			requireStaff: denied, requirePerson: ok, requireService: denied, requireInternal: denied,
			requireStaffOrService: denied, requireAdmin: denied, requireSupervisor: denied, requirePlatform: denied,
			tenantDefault: ok, defaultTo: "CPT", tenantOwn: ok, tenantOther: denied, scope: cpt(auth.RoleCitizen), forCitizen: denied}},
		{"an agent is staff", user("CPT", auth.RoleAgent), rules{staff: true,
			requireStaff: ok, requirePerson: ok, requireService: denied, requireInternal: denied,
			requireStaffOrService: ok, requireAdmin: denied, requireSupervisor: denied, requirePlatform: denied,
			tenantDefault: ok, defaultTo: "CPT", tenantOwn: ok, tenantOther: denied, scope: cpt(auth.RoleAgent), forCitizen: denied}},
		{"a team manager is staff", user("CPT", auth.RoleTeamManager), rules{staff: true,
			requireStaff: ok, requirePerson: ok, requireService: denied, requireInternal: denied,
			requireStaffOrService: ok, requireAdmin: denied, requireSupervisor: ok, requirePlatform: denied,
			tenantDefault: ok, defaultTo: "CPT", tenantOwn: ok, tenantOther: denied, scope: cpt(auth.RoleTeamManager), forCitizen: denied}},
		{"a municipal admin is staff of one municipality", user("CPT", auth.RoleMunicipalAdmin), rules{staff: true,
			requireStaff: ok, requirePerson: ok, requireService: denied, requireInternal: denied,
			requireStaffOrService: ok, requireAdmin: ok, requireSupervisor: ok, requirePlatform: denied,
			tenantDefault: ok, defaultTo: "CPT", tenantOwn: ok, tenantOther: denied, scope: cpt(auth.RoleMunicipalAdmin), forCitizen: denied}},
		{"the SAPS liaison of a municipality sees and acts on its GBV tickets", user("CPT", auth.RoleSAPSLiaison), rules{countGBV: true, staff: true, seeGBV: true, actGBV: true,
			requireStaff: ok, requirePerson: ok, requireService: denied, requireInternal: denied,
			requireStaffOrService: ok, requireAdmin: denied, requireSupervisor: ok, requirePlatform: denied,
			tenantDefault: ok, defaultTo: "CPT", tenantOwn: ok, tenantOther: denied, scope: cpt(auth.RoleSAPSLiaison), forCitizen: denied}},
		{"a SAPS liaison bound to no municipality is nobody's liaison", user("*", auth.RoleSAPSLiaison), rules{
			requireStaff: denied, requirePerson: ok, requireService: denied, requireInternal: denied,
			requireStaffOrService: denied, requireAdmin: denied, requireSupervisor: ok, requirePlatform: denied,
			tenantDefault: invalid, tenantOwn: denied, tenantOther: denied, scope: pg.Scope{Subject: "u"}, forCitizen: denied}},
		{"a platform admin reads every municipality but no GBV", user("*", auth.RolePlatformAdmin), rules{countGBV: true, all: true,
			requireStaff: ok, requirePerson: ok, requireService: denied, requireInternal: denied,
			requireStaffOrService: ok, requireAdmin: ok, requireSupervisor: denied, requirePlatform: ok,
			tenantDefault: invalid, tenantOwn: ok, tenantOther: ok,
			scope: pg.Scope{AllTenants: true, Subject: "u", Roles: []string{auth.RolePlatformAdmin}}, forCitizen: denied}},
		{"a platform admin who is also a liaison still reads no GBV", user("*", auth.RolePlatformAdmin, auth.RoleSAPSLiaison), rules{countGBV: true, all: true,
			requireStaff: ok, requirePerson: ok, requireService: denied, requireInternal: denied,
			requireStaffOrService: ok, requireAdmin: ok, requireSupervisor: ok, requirePlatform: ok,
			tenantDefault: invalid, tenantOwn: ok, tenantOther: ok,
			scope: pg.Scope{AllTenants: true, Subject: "u", Roles: []string{auth.RolePlatformAdmin}}, forCitizen: denied}},
		{"a platform admin and liaison bound to one municipality still reads no GBV", user("CPT", auth.RolePlatformAdmin, auth.RoleSAPSLiaison), rules{countGBV: true, staff: true, all: true,
			requireStaff: ok, requirePerson: ok, requireService: denied, requireInternal: denied,
			requireStaffOrService: ok, requireAdmin: ok, requireSupervisor: ok, requirePlatform: ok,
			tenantDefault: ok, defaultTo: "CPT", tenantOwn: ok, tenantOther: ok,
			scope: pg.Scope{Tenant: "CPT", AllTenants: true, Subject: "u", Roles: []string{auth.RolePlatformAdmin}}, forCitizen: denied}},
		{"a person without a role may do nothing", user("CPT"), rules{
			requireStaff: denied, requirePerson: denied, requireService: denied, requireInternal: denied,
			requireStaffOrService: denied, requireAdmin: denied, requireSupervisor: denied, requirePlatform: denied,
			tenantDefault: ok, defaultTo: "CPT", tenantOwn: ok, tenantOther: denied, scope: cpt(), forCitizen: denied}},
		{"a service with a job of one municipality is confined to it", service("CPT"), rules{countGBV: true, seeGBV: true, actGBV: true, service: true,
			requireStaff: denied, requirePerson: denied, requireService: ok, requireInternal: ok,
			requireStaffOrService: ok, requireAdmin: denied, requireSupervisor: denied, requirePlatform: denied,
			tenantDefault: ok, defaultTo: "CPT", tenantOwn: ok, tenantOther: denied,
			scope: pg.Scope{Tenant: "CPT", Subject: "routing", Roles: []string{auth.RoleService}}, forCitizen: ok}},
		{"a service token for all municipalities is bound to none and reads nothing", service("*"), rules{countGBV: true, seeGBV: true, service: true,
			requireStaff: denied, requirePerson: denied, requireService: ok, requireInternal: ok,
			requireStaffOrService: ok, requireAdmin: denied, requireSupervisor: denied, requirePlatform: denied,
			tenantDefault: invalid, tenantOwn: denied, tenantOther: denied,
			scope: pg.Scope{Subject: "routing", Roles: []string{auth.RoleService}}, forCitizen: denied}},
		{"the gateway reads one jurisdiction as the public does", gateway("CPT"), rules{gateway: true,
			requireStaff: denied, requirePerson: denied, requireService: denied, requireInternal: ok,
			requireStaffOrService: denied, requireAdmin: denied, requireSupervisor: denied, requirePlatform: denied,
			tenantDefault: ok, defaultTo: "CPT", tenantOwn: ok, tenantOther: denied,
			scope: pg.Scope{Tenant: "CPT", Subject: "gateway"}, forCitizen: ok}},
		{"the process's own work for one municipality is confined to it", access.Worker("notify", "CPT"), rules{countGBV: true, seeGBV: true, actGBV: true, service: true,
			requireStaff: denied, requirePerson: denied, requireService: ok, requireInternal: ok,
			requireStaffOrService: ok, requireAdmin: denied, requireSupervisor: denied, requirePlatform: denied,
			tenantDefault: ok, defaultTo: "CPT", tenantOwn: ok, tenantOther: denied,
			scope: pg.Scope{Tenant: "CPT", Subject: "notify", Roles: []string{auth.RoleService}}, forCitizen: ok}},
		{"the system's own work reads every municipality", access.System("sla-sweep"), rules{countGBV: true, all: true, seeGBV: true,
			requireStaff: denied, requirePerson: denied, requireService: denied, requireInternal: denied,
			requireStaffOrService: denied, requireAdmin: denied, requireSupervisor: denied, requirePlatform: denied,
			tenantDefault: invalid, tenantOwn: ok, tenantOther: ok,
			scope: pg.Scope{AllTenants: true, Subject: "sla-sweep", Roles: []string{auth.RoleService}}, forCitizen: denied}},
		{"nobody (the zero caller) may do nothing", access.Caller{}, rules{
			requireStaff: denied, requirePerson: denied, requireService: denied, requireInternal: denied,
			requireStaffOrService: denied, requireAdmin: denied, requireSupervisor: denied, requirePlatform: denied,
			tenantDefault: invalid, tenantOwn: denied, tenantOther: denied, forCitizen: denied}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, w := tt.caller, tt.want
			require.Equal(t, w.staff, c.IsStaff(), "IsStaff")
			require.Equal(t, w.all, c.AllTenants(), "AllTenants")
			require.Equal(t, w.seeGBV, c.CanSeeGBV(), "CanSeeGBV")
			require.Equal(t, w.actGBV, c.CanActOnGBV(), "CanActOnGBV")
			require.Equal(t, w.countGBV, c.CanCountGBV(), "CanCountGBV")
			require.Equal(t, w.service, c.IsService(), "IsService")
			require.Equal(t, w.gateway, c.IsGateway(), "IsGateway")
			require.Equal(t, w.requireStaff, code(c.RequireStaff()), "RequireStaff")
			require.Equal(t, w.requirePerson, code(c.RequirePerson()), "RequirePerson")
			require.Equal(t, w.requireService, code(c.RequireService()), "RequireService")
			require.Equal(t, w.requireInternal, code(c.RequireInternal()), "RequireInternal")
			require.Equal(t, w.requirePlatform, code(c.Require(auth.RolePlatformAdmin)), "Require(platform_admin)")
			require.Equal(t, w.requirePlatform, code(c.RequirePlatformAdmin()), "RequirePlatformAdmin")
			require.Equal(t, w.citizen, c.IsCitizen(), "IsCitizen")
			require.Equal(t, w.requireStaffOrService, code(c.RequireStaffOrService()), "RequireStaffOrService")
			require.Equal(t, w.requireAdmin, code(c.RequireAdmin()), "RequireAdmin")
			require.Equal(t, w.requireSupervisor, code(c.RequireSupervisor()), "RequireSupervisor")
			require.NoError(t, access.Anyone(c), "Anyone")
			got, err := c.Tenant("", "tenant")
			require.Equal(t, w.tenantDefault, code(err), "Tenant(\"\")")
			require.Equal(t, w.defaultTo, got, "Tenant(\"\")")
			_, err = c.Tenant("CPT", "tenant")
			require.Equal(t, w.tenantOwn, code(err), "Tenant(CPT)")
			_, err = c.Tenant("JHB", "tenant")
			require.Equal(t, w.tenantOther, code(err), "Tenant(JHB)")
			_, err = c.Tenant("cape town", "tenant")
			require.Equal(t, invalid, code(err), "a malformed code is InvalidArgument whoever asks")
			require.Equal(t, w.scope, normalise(c.Scope()), "Scope")
			require.Equal(t, pg.Scope{Tenant: c.OwnTenant(), Subject: c.Subject()}, c.PublicScope(), "PublicScope has no roles")
			_, err = c.ForCitizen("open311:client")
			require.Equal(t, w.forCitizen, code(err), "ForCitizen")
		})
	}
}

// normalise makes an empty role list nil, so expectations need not care.
func normalise(s pg.Scope) pg.Scope {
	if len(s.Roles) == 0 {
		s.Roles = nil
	}
	return s
}

func TestARefusalNamesTheRolesAndTheField(t *testing.T) {
	t.Parallel()
	c := user("CPT", auth.RoleCitizen)
	require.ErrorContains(t, c.Require(auth.RoleMunicipalAdmin, auth.RolePlatformAdmin), "municipal_admin, platform_admin")
	_, err := c.Tenant("cape town", "municipality")
	require.ErrorContains(t, err, "invalid municipality")
	_, err = c.Tenant("JHB", "tenant")
	require.ErrorContains(t, err, "JHB")
}

func TestACitizenFiledForIsConfinedToTheFilersMunicipality(t *testing.T) {
	t.Parallel()
	r, err := gateway("CPT").ForCitizen("open311:c1")
	require.NoError(t, err)
	require.Equal(t, "open311:c1", r.Subject())
	require.Equal(t, pg.Scope{Tenant: "CPT", Subject: "open311:c1", Roles: []string{auth.RoleCitizen}}, r.Scope())
	require.False(t, r.IsStaff() || r.CanSeeGBV() || r.AllTenants())
}

func TestTheCallerTravelsInTheContext(t *testing.T) {
	t.Parallel()
	_, err := access.FromContext(context.Background())
	require.Equal(t, codes.Unauthenticated, status.Code(apperr.ToStatus(context.Background(), err).Err()))
	want := user("CPT", auth.RoleAgent)
	got, err := access.FromContext(access.WithCaller(context.Background(), want))
	require.NoError(t, err)
	require.Equal(t, want, got)
}
