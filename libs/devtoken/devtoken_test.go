package devtoken_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/devtoken"
)

func TestRolesRefusesOneTheSuiteDoesNotHave(t *testing.T) {
	t.Parallel()
	rs, err := devtoken.Roles(" agent, ,saps_liaison")
	require.NoError(t, err)
	require.Equal(t, []string{"agent", "saps_liaison"}, rs)
	_, err = devtoken.Roles("agent,root")
	require.ErrorContains(t, err, `unknown role "root"`)
}

func TestMintSignsUserAndServiceTokensWithTheirOwnKeys(t *testing.T) {
	t.Parallel()
	cfg := config.Auth{JWTSecret: "a-user-secret-of-enough-length-1234567890", ServiceJWTSecret: "a-service-secret-of-enough-length-1234567"}
	user, err := devtoken.Mint(cfg, auth.Claims{Subject: "u", Tenant: "CPT", Roles: []string{auth.RoleAgent}}, time.Minute)
	require.NoError(t, err)
	svc, err := devtoken.Mint(cfg, auth.Claims{Subject: "ticket", Tenant: "CPT", Roles: []string{auth.RoleService}}, time.Minute)
	require.NoError(t, err)
	require.NotEqual(t, user, svc)
	_, err = devtoken.Mint(cfg, auth.Claims{Subject: "x", Tenant: "CPT", Roles: []string{auth.RoleService, auth.RoleAgent}}, time.Minute)
	require.ErrorContains(t, err, "service token's only role")
}
