// Command devtoken prints a development JWT for calling Trust Engine services, e.g.
//
//	go run github.com/salga/trustengine/libs/cmd/devtoken -role agent -tenant CPT -sub dev-agent -ttl 24h
//
// It signs with JWT_HS256_SECRET, so the token matches services started with the
// same environment. In development mode (TRUSTENGINE_DEV_MODE=1, which `make token`
// sets) an empty JWT_HS256_SECRET means the published development secret; outside it
// devtoken refuses an empty or published secret, as the services do.
//
// -role service mints a service token instead (for calling internal RPCs with
// grpcurl), signed with SERVICE_JWT_SECRET under the same rule; the service
// role is never part of a user token.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/devtoken"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "devtoken:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("devtoken", flag.ContinueOnError)
	roles := fs.String("role", auth.RoleAgent, "comma-separated roles")
	tenant := fs.String("tenant", "CPT", `tenant (municipality code), or "*" for all`)
	sub := fs.String("sub", "dev-user", "subject (user id)")
	ttl := fs.Duration("ttl", 24*time.Hour, "token lifetime")
	if err := fs.Parse(args); err != nil {
		return err
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
	fmt.Println(tok)
	return nil
}
