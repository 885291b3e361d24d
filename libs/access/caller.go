// Package access decides who may see and do what, once for every service.
//
// libs/server builds one Caller per call from the verified token
// (FromClaims) and puts it in the context; use cases read it with
// FromContext and ask it: IsStaff, CanSeeGBV, Require, Tenant, Scope. No
// service keeps a role list of its own.
//
// A caller is confined to its municipality (its token's tenant), except a
// platform admin, who reads across municipalities, and the process's own
// background work across them (System); its work for one municipality
// (Worker) is confined to it. A service token names the municipality of the
// job it carries, so an internal call runs confined to that tenant and
// row-level security applies to it as to a person's call; a service token
// for all municipalities ("*") is bound to none and, on its own, reads
// nothing.
package access

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
)

// staffRoles are the roles of a municipality's own staff, who work its
// tickets.
var staffRoles = []string{auth.RoleAgent, auth.RoleTeamManager, auth.RoleMunicipalAdmin, auth.RoleSAPSLiaison}

// Caller is the principal of one call, as every authorization rule sees it.
// The zero Caller is nobody: it may do nothing and its scope sees nothing.
type Caller struct {
	subject string
	// tenant is the one municipality the caller acts in; "" when bound to
	// none (a platform admin's "*", an all-tenants service token, System).
	tenant string
	roles  []string
	kind   auth.Kind
	// system marks the process's own background work (System).
	system bool
}

// FromClaims is the caller of verified claims. A gateway token's service
// role is not kept: the gateway's Open311 identity reads as the public.
func FromClaims(c auth.Claims) Caller {
	out := Caller{subject: c.Subject, tenant: c.Tenant, roles: slices.Clone(c.Roles), kind: c.Kind}
	if out.tenant == auth.AllTenants {
		out.tenant = ""
	}
	if c.Kind == auth.KindGateway {
		out.roles = nil
	}
	return out
}

// System is the caller of the process's own work across every municipality,
// named for the logs and the audit trail: the SLA sweep, migrations and
// such. It is the only caller whose scope is all tenants besides a
// platform admin; grep for access.System to list them all.
func System(name string) Caller {
	return Caller{subject: name, roles: []string{auth.RoleService}, kind: auth.KindService, system: true}
}

// Worker is the caller of the process's own work for one municipality,
// tenant: a queued job of that municipality, or a provider's webhook once
// its signature held. It is confined to tenant as an internal call
// carrying that municipality's job is, and has the same rights: it sees
// the municipality's GBV rows, to carry them where the rules allow. name
// is the service's, for the logs and the audit trail.
func Worker(name, tenant string) Caller {
	return FromClaims(auth.Claims{Subject: name, Tenant: tenant, Roles: []string{auth.RoleService}, Kind: auth.KindService})
}

// Subject is the caller's user or service id.
func (c Caller) Subject() string { return c.subject }

// OwnTenant is the municipality the caller is bound to, or "" for none.
func (c Caller) OwnTenant() string { return c.tenant }

// Roles are the caller's roles (a copy).
func (c Caller) Roles() []string { return slices.Clone(c.roles) }

// Kind is the kind of the caller's token.
func (c Caller) Kind() auth.Kind { return c.kind }

// Has reports whether the caller holds role.
func (c Caller) Has(role string) bool { return slices.Contains(c.roles, role) }

// IsService reports whether another Trust Engine service is calling.
func (c Caller) IsService() bool { return c.kind == auth.KindService && !c.system }

// IsGateway reports whether the gateway's Open311 identity is calling.
func (c Caller) IsGateway() bool { return c.kind == auth.KindGateway }

// isPerson reports whether a person's token is calling.
func (c Caller) isPerson() bool { return c.kind == auth.KindUser && !c.system }

// IsStaff reports whether the caller works a municipality's tickets: an
// agent, team manager, municipal admin or SAPS liaison bound to one
// municipality. Platform admins are not a municipality's staff.
func (c Caller) IsStaff() bool {
	return c.isPerson() && c.tenant != "" && slices.ContainsFunc(staffRoles, c.Has)
}

// AllTenants reports whether the caller acts across municipalities: a
// platform admin, or System.
func (c Caller) AllTenants() bool {
	return c.system || (c.isPerson() && c.Has(auth.RolePlatformAdmin))
}

// CanSeeGBV reports whether the caller may read gender-based-violence
// tickets and what belongs to them (POPIA special personal information):
// the SAPS liaison of one municipality (never a platform admin, whatever
// else the token says), the services that carry GBV work, and System. The
// gateway never: Open311 shows no GBV.
func (c Caller) CanSeeGBV() bool {
	switch {
	case c.system, c.IsService():
		return true
	case c.isPerson():
		return c.Has(auth.RoleSAPSLiaison) && c.tenant != "" && !c.AllTenants()
	}
	return false
}

// CanCountGBV reports whether the caller may see how many GBV tickets
// there are (counts in reports and indicators, never their content): the
// SAPS liaison of one municipality, platform admins (who oversee the
// service across municipalities), the services and System. Every other
// caller's reports leave GBV out entirely; the gateway's public figures
// never include it. Small cells are withheld from everyone by the reports
// themselves.
func (c Caller) CanCountGBV() bool {
	if c.CanSeeGBV() {
		return true
	}
	return c.isPerson() && c.Has(auth.RolePlatformAdmin)
}

// CanActOnGBV reports whether the caller may change a GBV ticket (its
// status, notes or assignment): the SAPS liaison of its municipality, or a
// service carrying a job of one municipality. System and all-tenants
// service tokens change GBV tickets only through jobs that name their
// municipality.
func (c Caller) CanActOnGBV() bool {
	if c.IsService() {
		return c.tenant != ""
	}
	return c.isPerson() && c.CanSeeGBV()
}

// Require returns PermissionDenied naming roles unless the caller holds one
// of them.
func (c Caller) Require(roles ...string) error {
	if slices.ContainsFunc(roles, c.Has) {
		return nil
	}
	return apperr.PermissionDenied("requires one of the roles " + strings.Join(roles, ", "))
}

// RequireStaff returns PermissionDenied unless the caller is a
// municipality's staff (IsStaff) or a platform admin: who may read a
// municipality's operational data (teams, queues, clocks, policies).
func (c Caller) RequireStaff() error {
	if c.IsStaff() || (c.isPerson() && c.AllTenants()) {
		return nil
	}
	return apperr.PermissionDenied("requires one of the roles " + strings.Join(append(slices.Clone(staffRoles), auth.RolePlatformAdmin), ", "))
}

// RequirePerson returns PermissionDenied unless a person with a role calls:
// a citizen, a municipality's staff or a platform admin. Service and
// gateway tokens are for internal RPCs.
func (c Caller) RequirePerson() error {
	if c.isPerson() && len(c.roles) > 0 {
		return nil
	}
	return apperr.PermissionDenied("this RPC needs a citizen, staff or platform admin role")
}

// RequireService returns PermissionDenied unless another service calls:
// internal RPCs.
func (c Caller) RequireService() error {
	if c.IsService() {
		return nil
	}
	return apperr.PermissionDenied("internal RPC: service role required")
}

// RequireInternal returns PermissionDenied unless another service or the
// gateway's Open311 identity calls: the internal RPCs the gateway may call
// too (auth.GatewayMayCall lists them; its interceptor refuses it the rest).
func (c Caller) RequireInternal() error {
	if c.IsService() || c.IsGateway() {
		return nil
	}
	return apperr.PermissionDenied("internal RPC: service role required")
}

// Tenant resolves the municipality a request acts on: requested (field
// names it in errors), defaulting to the caller's own. Only callers across
// municipalities (AllTenants) may name another; a service may act only for
// the municipality its token names. A malformed code is InvalidArgument.
func (c Caller) Tenant(requested, field string) (string, error) {
	if requested == "" {
		if c.tenant == "" {
			return "", apperr.Invalid(field, "is required for a caller not bound to one municipality")
		}
		return c.tenant, nil
	}
	if !auth.IsTenantCode(requested) {
		return "", apperr.Invalid(field, "must be a municipality code: 2 to 8 upper-case letters and digits, e.g. CPT")
	}
	if requested != c.tenant && !c.AllTenants() {
		return "", apperr.PermissionDenied(fmt.Sprintf("cannot act for municipality %s", requested))
	}
	return requested, nil
}

// Scope is what the caller's transactions may see (pg.InTx): its
// municipality, or all of them for AllTenants callers, with its roles for
// the GBV policies, leaving out the roles that unlock GBV rows when
// CanSeeGBV says no (a platform admin who is also a liaison reads no GBV).
func (c Caller) Scope() pg.Scope {
	roles := slices.Clone(c.roles)
	if !c.CanSeeGBV() {
		roles = slices.DeleteFunc(roles, func(r string) bool { return r == auth.RoleSAPSLiaison || r == auth.RoleService })
	}
	return pg.Scope{Tenant: c.tenant, AllTenants: c.AllTenants(), Subject: c.subject, Roles: roles}
}

// PublicScope is the scope of reading what the public may read of the
// caller's municipality (Open311): no roles, so row-level security hides
// GBV rows whatever the query asks for.
func (c Caller) PublicScope() pg.Scope {
	return pg.Scope{Tenant: c.tenant, Subject: c.subject}
}

// ForCitizen is the citizen a service or the gateway files a report for
// (Open311 reports by an API client): subject, in the caller's
// municipality, with a citizen's rights and nothing more.
func (c Caller) ForCitizen(subject string) (Caller, error) {
	if (!c.IsService() && !c.IsGateway()) || c.tenant == "" {
		return Caller{}, apperr.PermissionDenied("only a service or the gateway files reports for one municipality's citizens")
	}
	return Caller{subject: subject, tenant: c.tenant, roles: []string{auth.RoleCitizen}, kind: auth.KindUser}, nil
}

type callerKey struct{}

// WithCaller returns ctx carrying c (libs/server does this for every
// authenticated call).
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// FromContext returns the caller of the call ctx serves; Unauthenticated
// when there is none (a wiring bug: every RPC but health is authenticated).
func FromContext(ctx context.Context) (Caller, error) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	if !ok {
		return Caller{}, apperr.Unauthenticated("missing credentials")
	}
	return c, nil
}
