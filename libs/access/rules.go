package access

import (
	"slices"
	"strings"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
)

// The rules below name who may manage what across the services, so that no
// service keeps a list of roles of its own. Only person tokens carry these
// roles (service tokens carry exactly "service", the gateway's none).

// Anyone lets every authenticated caller through: data that is public to
// the suite's callers, such as municipalities and public holidays.
func Anyone(Caller) error { return nil }

// IsCitizen reports whether a person holding the citizen role calls: a
// member of the public, who acts on their own reports only.
func (c Caller) IsCitizen() bool { return c.isPerson() && c.Has(auth.RoleCitizen) }

// RequirePlatformAdmin returns PermissionDenied unless a platform admin
// calls: who manages platform data (municipalities, SLA policies and
// calendars) and reads the GBV access log.
func (c Caller) RequirePlatformAdmin() error { return c.Require(auth.RolePlatformAdmin) }

// RequireAdmin returns PermissionDenied unless a municipal admin (of the
// municipality Tenant resolves) or a platform admin calls: who manages a
// municipality's teams and API keys.
func (c Caller) RequireAdmin() error {
	return c.Require(auth.RoleMunicipalAdmin, auth.RolePlatformAdmin)
}

// RequireSupervisor returns PermissionDenied unless a team manager, a
// municipal admin or a SAPS liaison calls: who moves tickets between teams
// by hand (the liaison being the only one who may move GBV tickets).
func (c Caller) RequireSupervisor() error {
	return c.Require(auth.RoleTeamManager, auth.RoleMunicipalAdmin, auth.RoleSAPSLiaison)
}

// RequireStaffOrService returns PermissionDenied unless a municipality's
// staff, a platform admin (RequireStaff) or another service calls: who
// reads operational data that carries no ticket content (teams, routing
// explanations, clocks, policies). A service reads only the municipality
// its token names.
func (c Caller) RequireStaffOrService() error {
	if c.IsService() {
		return nil
	}
	return c.RequireStaff()
}

// RequireServiceOf is the rule of an internal RPC that only the named
// services call (a service token's subject is the service's name, as
// libs/peers mints it): PermissionDenied for any other caller, another
// service, the gateway or a person.
func RequireServiceOf(names ...string) func(Caller) error {
	return func(c Caller) error {
		if c.IsService() && slices.Contains(names, c.Subject()) {
			return nil
		}
		return apperr.PermissionDenied("internal RPC: only the " + strings.Join(names, ", ") + " service may call it")
	}
}
