// Package devtoken mints development tokens for calling Trust Engine: the
// code of the devtoken command and of trustctl's token subcommand. A user
// token is signed with JWT_HS256_SECRET, a service token (the service role
// alone) with SERVICE_JWT_SECRET; config.Auth applies the development-mode
// rule to both (the published secrets only with TRUSTENGINE_DEV_MODE=1).
package devtoken

import (
	"fmt"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/config"
)

// Roles parses a comma-separated list of roles, refusing one the suite does
// not have.
func Roles(list string) ([]string, error) {
	var rs []string
	for r := range strings.SplitSeq(list, ",") {
		r = strings.TrimSpace(r)
		if r == "" {
			continue
		}
		if !auth.IsKnownRole(r) {
			return nil, fmt.Errorf("unknown role %q", r)
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// Mint signs c as a user token, or as a service token for c.Tenant (the
// municipality of the work, or "*" for all) when its only role is the
// service role, with the secrets cfg holds (loaded with config.Load).
func Mint(cfg config.Auth, c auth.Claims, ttl time.Duration) (string, error) {
	if !c.HasRole(auth.RoleService) {
		secret, err := cfg.UserSecret()
		if err != nil {
			return "", err
		}
		return auth.MintHS256([]byte(secret), c, ttl)
	}
	if len(c.Roles) != 1 {
		return "", fmt.Errorf("the %s role is a service token's only role; mint it alone", auth.RoleService)
	}
	secret, err := cfg.ServiceSecret()
	if err != nil {
		return "", err
	}
	return auth.MintService([]byte(secret), c.Subject, c.Tenant, ttl)
}
