package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/devtoken"
)

// token mints a development token with libs/devtoken (the devtoken
// command's code), only in development mode.
func token(_ context.Context, args []string, out, errOut io.Writer) error {
	fs := flags("token", "", "Prints a development token signed with JWT_HS256_SECRET (SERVICE_JWT_SECRET for -role service),\n"+
		"the published development secrets when unset. Refuses unless TRUSTENGINE_DEV_MODE=1.", errOut)
	roles := fs.String("role", auth.RoleAgent, "comma-separated roles")
	tenant := fs.String("tenant", "CPT", `municipality code, or "*" for all (platform_admin)`)
	sub := fs.String("sub", "trustctl", "subject (user id)")
	ttl := fs.Duration("ttl", time.Hour, "token lifetime")
	if err := parse(fs, args); err != nil {
		return err
	}
	if os.Getenv(config.DevModeVar) != "1" {
		return errors.New("token mints development tokens only: set " + config.DevModeVar + "=1 (real tokens come from the identity provider)")
	}
	var cfg config.Auth
	if err := config.Load(&cfg); err != nil {
		return err
	}
	rs, err := devtoken.Roles(*roles)
	if err != nil {
		return err
	}
	tok, err := devtoken.Mint(cfg, auth.Claims{Subject: *sub, Tenant: *tenant, Roles: rs}, *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, tok)
	return nil
}
