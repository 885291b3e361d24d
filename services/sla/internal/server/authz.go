package server

import (
	"context"
	"regexp"

	"github.com/google/uuid"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
)

// staffRoles may read policies, calendars, clocks and figures.
var staffRoles = []string{auth.RoleAgent, auth.RoleTeamManager, auth.RoleMunicipalAdmin, auth.RoleSAPSLiaison,
	auth.RolePlatformAdmin, auth.RoleService}

// municipalityCode is a Municipal Demarcation Board code such as CPT or WC024.
var municipalityCode = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,9}$`)

// caller returns the claims and database scope of an authenticated caller
// holding one of roles.
func caller(ctx context.Context, roles ...string) (auth.Claims, pg.Scope, error) {
	c, ok := auth.FromContext(ctx)
	if !ok {
		return c, pg.Scope{}, apperr.Unauthenticated("missing credentials")
	}
	if !c.HasAnyRole(roles...) {
		return c, pg.Scope{}, apperr.PermissionDenied("this call needs one of the roles " + joinRoles(roles))
	}
	return c, access.FromClaims(c).Scope(), nil
}

func joinRoles(rs []string) string {
	out := ""
	for i, r := range rs {
		if i > 0 {
			out += ", "
		}
		out += r
	}
	return out
}

// tenantOf picks the tenant a query is about: the requested one or the
// caller's own; only all-tenant callers may name another.
func tenantOf(c auth.Claims, s pg.Scope, requested string) (string, error) {
	if requested == "" {
		if s.Tenant == "" {
			return "", apperr.Invalid("tenant", "is required for callers without a tenant")
		}
		return s.Tenant, nil
	}
	if !municipalityCode.MatchString(requested) {
		return "", apperr.Invalid("tenant", "must be a municipality code such as CPT")
	}
	if requested != c.Tenant && !s.AllTenants {
		return "", apperr.PermissionDenied("callers may only read their own municipality")
	}
	return requested, nil
}

// requireUUID validates an id field.
func requireUUID(field, v string) error {
	if _, err := uuid.Parse(v); err != nil {
		return apperr.Invalid(field, "must be a UUID")
	}
	return nil
}
