package pg

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// AppRole is the NOLOGIN role every InTx transaction switches to. Unlike the
// connecting (owner) role it is subject to row-level security, so a forgotten
// WHERE tenant = ... still cannot read another municipality's rows.
const AppRole = "trustengine_app"

// EnsureAppRole creates AppRole if it does not exist and makes the connecting role a
// member, which SET ROLE requires. Roles are cluster-wide, so parallel tests and
// replicas race on it; the loser of the race retries.
func EnsureAppRole(ctx context.Context, pool *pgxpool.Pool) error {
	return createIdempotent(ctx, pool, "pg.EnsureAppRole", `DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '`+AppRole+`') THEN
    CREATE ROLE `+AppRole+` NOLOGIN;
  END IF;
  IF NOT pg_has_role(current_user, '`+AppRole+`', 'MEMBER') THEN
    EXECUTE format('GRANT %I TO %I', '`+AppRole+`', current_user);
  END IF;
END
$$`)
}

// Scope is what a transaction may see: the tenant, or all tenants, and who is asking.
// A call's scope comes from its caller (libs/access Caller.Scope), never
// from request fields.
type Scope struct {
	// Tenant is the municipality code the transaction is confined to.
	Tenant string
	// AllTenants lifts the tenant restriction (platform admins, and the
	// process's own work named by access.System).
	AllTenants bool
	// Subject is the caller's id, available to policies and audit triggers.
	Subject string
	// Roles are the caller's roles, available to policies (e.g. GBV access).
	Roles []string
}

// settings renders the scope as the values of app.tenant, app.all_tenants,
// app.subject and app.roles.
func (s Scope) settings() []any {
	all := "off"
	if s.AllTenants {
		all = "on"
	}
	return []any{s.Tenant, all, s.Subject, strings.Join(s.Roles, ",")}
}
