package domain

import (
	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/auth"
)

// Who may do what in routing, on top of libs/access. Reading teams,
// queues and assignments is for a municipality's staff (and platform
// admins): access.Caller.RequireStaff.

// MayManageMunicipalities refuses anyone but a platform admin:
// municipalities are platform data.
func MayManageMunicipalities(c access.Caller) error { return c.Require(auth.RolePlatformAdmin) }

// MayManageTeams refuses anyone but a municipal admin (of the team's
// municipality, which access.Caller.Tenant holds to) or a platform admin.
func MayManageTeams(c access.Caller) error {
	return c.Require(auth.RoleMunicipalAdmin, auth.RolePlatformAdmin)
}

// MayReadTeams refuses anyone but staff and services: teams and routing
// explanations tell which team works where, no ticket data.
func MayReadTeams(c access.Caller) error {
	if c.IsService() {
		return nil
	}
	return c.RequireStaff()
}

// MayReassign refuses anyone but a team manager, municipal admin or SAPS
// liaison: who moves tickets by hand.
func MayReassign(c access.Caller) error {
	return c.Require(auth.RoleTeamManager, auth.RoleMunicipalAdmin, auth.RoleSAPSLiaison)
}

// MayTouch refuses c the ticket of assignment cur when it is a GBV ticket
// and c may not act on GBV (anyone but the tenant's SAPS liaison): for
// them it does not exist, the same NotFound as a missing id.
func MayTouch(c access.Caller, cur Assignment) error {
	if cur.Category == CategoryGBV && !c.CanActOnGBV() {
		return ErrTicketNotFound
	}
	return nil
}
