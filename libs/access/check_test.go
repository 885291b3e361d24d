package access_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
)

// job is an internal call's input about municipality tenant; bad makes it
// invalid.
type job struct {
	tenant string
	bad    bool
}

func (j job) Validate() error {
	if j.bad {
		return apperr.Invalid("ticket_id", "is required")
	}
	return nil
}

func (j job) ForTenant() string { return j.tenant }

func TestAUseCaseSeesItsCallerOnlyOnceTheRulePasses(t *testing.T) {
	t.Parallel()
	agent := user("CPT", auth.RoleAgent)
	tests := []struct {
		name string
		ctx  context.Context
		rule func(access.Caller) error
		want codes.Code
	}{
		{"a caller who passes the rule", access.WithCaller(context.Background(), agent), access.Caller.RequireStaff, codes.OK},
		{"a caller the rule refuses", access.WithCaller(context.Background(), agent), access.Caller.RequireAdmin, codes.PermissionDenied},
		{"anyone authenticated, for public data", access.WithCaller(context.Background(), user("CPT", auth.RoleCitizen)), access.Anyone, codes.OK},
		{"a call without a caller", context.Background(), access.Anyone, codes.Unauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := access.Check(tt.ctx, tt.rule)
			require.Equal(t, tt.want, code(err), "%v", err)
			if err == nil {
				require.Equal(t, agent.Subject(), c.Subject())
			}
		})
	}
}

func TestAnInternalCallActsOnlyForItsJobsMunicipality(t *testing.T) {
	t.Parallel()
	in := func(c access.Caller) context.Context { return access.WithCaller(context.Background(), c) }
	tests := []struct {
		name string
		ctx  context.Context
		rule func(access.Caller) error
		job  job
		want codes.Code
	}{
		{"a service with a job of its token's municipality", in(service("CPT")), access.Caller.RequireService, job{tenant: "CPT"}, codes.OK},
		{"a service with another municipality's job", in(service("JHB")), access.Caller.RequireService, job{tenant: "CPT"}, codes.PermissionDenied},
		{"a service token for all municipalities", in(service("*")), access.Caller.RequireService, job{tenant: "CPT"}, codes.PermissionDenied},
		{"a job that names no municipality runs in the token's", in(service("CPT")), access.Caller.RequireService, job{}, codes.OK},
		{"a job that names a malformed municipality", in(service("CPT")), access.Caller.RequireService, job{tenant: "cape town"}, codes.InvalidArgument},
		{"invalid input, before any tenant", in(service("JHB")), access.Caller.RequireService, job{tenant: "CPT", bad: true}, codes.InvalidArgument},
		{"a person on an internal RPC", in(user("CPT", auth.RoleMunicipalAdmin)), access.Caller.RequireService, job{tenant: "CPT"}, codes.PermissionDenied},
		{"the gateway where the rule lets it in", in(gateway("CPT")), access.Caller.RequireInternal, job{tenant: "CPT"}, codes.OK},
		{"the gateway for another jurisdiction", in(gateway("JHB")), access.Caller.RequireInternal, job{tenant: "CPT"}, codes.PermissionDenied},
		{"the gateway where only services may call", in(gateway("CPT")), access.Caller.RequireService, job{tenant: "CPT"}, codes.PermissionDenied},
		{"a call without a caller", context.Background(), access.Caller.RequireService, job{tenant: "CPT"}, codes.Unauthenticated},
		{"the one service a rule names", in(service("CPT")), access.RequireServiceOf("routing"), job{tenant: "CPT"}, codes.OK},
		{"a service the rule does not name", in(service("CPT")), access.RequireServiceOf("sla"), job{tenant: "CPT"}, codes.PermissionDenied},
		{"a person named like the service", in(access.FromClaims(auth.Claims{Subject: "sla", Tenant: "CPT", Roles: []string{auth.RoleMunicipalAdmin}, Kind: auth.KindUser})),
			access.RequireServiceOf("sla"), job{tenant: "CPT"}, codes.PermissionDenied},
		{"the gateway where one service may call", in(gateway("CPT")), access.RequireServiceOf("gateway"), job{tenant: "CPT"}, codes.PermissionDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := access.ForJob(tt.ctx, tt.rule, tt.job)
			require.Equal(t, tt.want, code(err), "%v", err)
			if err == nil {
				require.Equal(t, "CPT", c.Scope().Tenant, "the call is confined to the job's municipality")
				require.False(t, c.Scope().AllTenants)
			}
		})
	}
}
