package server

import (
	"context"
	"fmt"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
)

// staffRoles may read a tenant's teams, queues and routing explanations.
var staffRoles = []string{auth.RoleAgent, auth.RoleTeamManager, auth.RoleMunicipalAdmin,
	auth.RoleSAPSLiaison, auth.RolePlatformAdmin}

// caller is the authenticated principal of a request.
type caller struct {
	auth.Claims
}

// scope is the database scope of the caller (libs/access): a service token
// is confined to the municipality of its job.
func (c caller) scope() pg.Scope { return access.FromClaims(c.Claims).Scope() }

// allTenants reports whether the caller acts across municipalities.
func (c caller) allTenants() bool { return c.scope().AllTenants }

// seesGBV reports whether the caller may see and act on GBV tickets: only
// the SAPS liaison of one municipality (POPIA special personal
// information). A token scoped to every municipality is nobody's liaison.
func (c caller) seesGBV() bool {
	return c.HasRole(auth.RoleSAPSLiaison) && !c.allTenants() && c.Tenant != "" && c.Tenant != auth.AllTenants
}

// callerFrom returns the caller set by the auth interceptor.
func callerFrom(ctx context.Context) (caller, error) {
	c, ok := auth.FromContext(ctx)
	if !ok {
		return caller{}, apperr.Unauthenticated("missing credentials")
	}
	return caller{Claims: c}, nil
}

// require returns the caller if it holds one of roles.
func require(ctx context.Context, roles ...string) (caller, error) {
	c, err := callerFrom(ctx)
	if err != nil {
		return caller{}, err
	}
	if !c.HasAnyRole(roles...) {
		return caller{}, apperr.PermissionDenied(fmt.Sprintf("requires one of the roles %v", roles))
	}
	return c, nil
}

// tenant resolves the municipality a request acts on: the requested one
// (field names it for errors), defaulting to the caller's own. Only callers
// scoped to all tenants may name another municipality.
func (c caller) tenant(requested, field string) (string, error) {
	if requested == "" {
		if c.Tenant == "" || c.Tenant == auth.AllTenants {
			return "", apperr.Invalid(field, "is required for a caller not bound to one municipality")
		}
		return c.Tenant, nil
	}
	if requested != c.Tenant && !c.allTenants() {
		return "", apperr.PermissionDenied(fmt.Sprintf("cannot act for municipality %s", requested))
	}
	return requested, nil
}
