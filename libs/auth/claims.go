// Package auth verifies and mints the JWT bearer tokens that authenticate every
// Trust Engine RPC, and carries the caller's Claims in the context.
//
// Tokens carry sub, tenant, roles (array), exp, iat and iss "trustengine". There are
// three kinds, each signed with its own key so that holding one key never lets a
// process sign another kind:
//
//   - user tokens, from the identity provider (or devtoken): RS256, verified with a
//     public key, or HS256 in development; they may never claim the service role.
//     An OpenID Connect issuer's tokens (OIDC, oidc.go) carry its own "iss", an
//     audience, and the tenant and roles under claims the deployment names; they
//     are verified with the keys of its JWKS, several at once so that it can rotate;
//   - service tokens, which ticket, routing and sla mint for each other: HS256 with
//     SERVICE_JWT_SECRET and audience ServiceAudience, naming the municipality
//     whose work a call carries (or AllTenants for the few calls about all);
//   - gateway tokens, which the gateway mints for its Open311 calls: HS256 with
//     GATEWAY_JWT_SECRET and audience GatewayAudience, naming the call's
//     jurisdiction, accepted only on the RPCs GatewayMayCall lists.
//
// Each key accepts exactly one algorithm, so a token signed with another one,
// including "none", is refused: the algorithm-confusion attack has nowhere to land.
package auth

import (
	"context"
	"regexp"
	"slices"
)

// Role names, as they appear in the JWT "roles" claim.
const (
	// RoleCitizen is a member of the public reporting problems.
	RoleCitizen = "citizen"
	// RoleAgent is a municipal call-centre or field agent.
	RoleAgent = "agent"
	// RoleTeamManager manages one or more municipal teams.
	RoleTeamManager = "team_manager"
	// RoleMunicipalAdmin administers one municipality (tenant).
	RoleMunicipalAdmin = "municipal_admin"
	// RoleSAPSLiaison is the police liaison; the only role that may read GBV tickets.
	RoleSAPSLiaison = "saps_liaison"
	// RolePlatformAdmin administers the whole platform across tenants.
	RolePlatformAdmin = "platform_admin"
	// RoleService is another Trust Engine service calling in.
	RoleService = "service"
)

// AllTenants is the tenant claim of a token valid for every tenant: platform
// admins, and service tokens of the few calls about every municipality.
const AllTenants = "*"

// tenantCode is the shape of a Municipal Demarcation Board code (CPT,
// WC024): the codes routing accepts for municipalities.
var tenantCode = regexp.MustCompile(`^[A-Z0-9]{2,8}$`)

// IsTenantCode reports whether s is shaped like a municipality code: 2 to 8
// upper-case letters and digits.
func IsTenantCode(s string) bool { return tenantCode.MatchString(s) }

// Issuer is the "iss" claim of every Trust Engine token.
const Issuer = "trustengine"

// knownRoles guards against typos and forged roles: a token naming an unknown role
// is rejected outright rather than silently granted nothing.
var knownRoles = map[string]bool{
	RoleCitizen: true, RoleAgent: true, RoleTeamManager: true, RoleMunicipalAdmin: true,
	RoleSAPSLiaison: true, RolePlatformAdmin: true, RoleService: true,
}

// IsKnownRole reports whether r is one of the role constants.
func IsKnownRole(r string) bool { return knownRoles[r] }

// Claims is the authenticated caller: who, for which municipality, with which roles.
type Claims struct {
	// Subject is the user or service id (JWT "sub").
	Subject string
	// Tenant is the municipality code, e.g. "CPT", or AllTenants (JWT "tenant").
	Tenant string
	// Roles are the caller's roles (JWT "roles").
	Roles []string
	// Kind says which key vouched for the token; set by Verify.
	Kind Kind
}

// Kind is the kind of a token, known from the key that verified it.
type Kind int

// The kinds of token. The zero value is a user token.
const (
	// KindUser is a person's token, signed by the identity provider.
	KindUser Kind = iota
	// KindService is a token of ticket, routing or sla, signed with the service key.
	KindService
	// KindGateway is the gateway's own token, signed with the gateway key.
	KindGateway
)

// Audiences of the tokens the suite mints for itself. A token carrying one is
// verified with that audience's key only.
const (
	// ServiceAudience is the "aud" of service tokens.
	ServiceAudience = "trustengine-service"
	// GatewayAudience is the "aud" of the gateway's tokens.
	GatewayAudience = "trustengine-gateway"
)

// HasRole reports whether the caller holds role r.
func (c Claims) HasRole(r string) bool { return slices.Contains(c.Roles, r) }

// HasAnyRole reports whether the caller holds at least one of rs.
func (c Claims) HasAnyRole(rs ...string) bool {
	return slices.ContainsFunc(rs, c.HasRole)
}

type claimsKey struct{}

// WithClaims returns a context carrying c.
func WithClaims(ctx context.Context, c Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// FromContext returns the caller's claims set by the auth interceptor.
func FromContext(ctx context.Context) (Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(Claims)
	return c, ok
}
