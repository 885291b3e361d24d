package domain

import "slices"

// Role names as carried in tokens (kept here so the domain has no
// dependency on the auth library).
const (
	RoleCitizen        = "citizen"
	RoleAgent          = "agent"
	RoleTeamManager    = "team_manager"
	RoleMunicipalAdmin = "municipal_admin"
	RoleSAPSLiaison    = "saps_liaison"
	RolePlatformAdmin  = "platform_admin"
	RoleService        = "service"
)

// Viewer is the caller as far as ticket visibility is concerned.
type Viewer struct {
	// Subject is the caller's user or service id.
	Subject string
	// Tenant is the caller's municipality ("*" for services).
	Tenant string
	// Roles are the caller's roles.
	Roles []string
}

// Has reports whether the viewer holds role r.
func (v Viewer) Has(r string) bool { return slices.Contains(v.Roles, r) }

// IsStaff reports whether the viewer works a tenant's tickets.
func (v Viewer) IsStaff() bool {
	return v.Has(RoleAgent) || v.Has(RoleTeamManager) || v.Has(RoleMunicipalAdmin) || v.Has(RoleSAPSLiaison)
}

// ReadsGBV reports whether the viewer may read GBV tickets (the tenant's
// SAPS liaison only; platform admins never).
func (v Viewer) ReadsGBV() bool { return v.Has(RoleSAPSLiaison) }

// AllTenants reports whether the viewer reads across tenants.
func (v Viewer) AllTenants() bool { return v.Has(RolePlatformAdmin) }

// OwnOnly reports whether the viewer sees only tickets they reported: a
// citizen with no staff or admin role.
func (v Viewer) OwnOnly() bool { return !v.IsStaff() && !v.AllTenants() }

// UsesPublicAPI reports whether the viewer holds any role of the public API;
// a pure service token is for internal RPCs only.
func (v Viewer) UsesPublicAPI() bool {
	return v.Has(RoleCitizen) || v.IsStaff() || v.AllTenants()
}

// CanSee reports whether the viewer may read t (the same rule the queries
// and row-level security enforce).
func (v Viewer) CanSee(t Ticket) bool {
	if !v.AllTenants() && t.Tenant != v.Tenant {
		return false
	}
	if t.IsGBV() && !v.ReadsGBV() {
		return false
	}
	if v.OwnOnly() && t.ReporterSubject != v.Subject {
		return false
	}
	return true
}
