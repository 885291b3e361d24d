// Command testissuer runs the test OpenID Connect identity provider of
// package authtest on a loopback address, for the console's browser tests
// and for trying the console's sign-in on a development machine:
//
//	go run github.com/salga/trustengine/libs/cmd/testissuer -addr 127.0.0.1:9400 \
//	  -redirect-uri http://127.0.0.1:8080/console/oidc/callback
//
// then start the services with OIDC_ISSUER=http://127.0.0.1:9400 and
// OIDC_AUDIENCE=trustengine-console, and the gateway with the same and
// CONSOLE_OIDC_ISSUER, CONSOLE_OIDC_CLIENT_ID=trustengine-console. Its
// sign-in page lets anyone be anyone, so it listens on loopback only.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/salga/trustengine/libs/auth/authtest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "testissuer:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("testissuer", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:9400", "loopback host:port to listen on")
	var o authtest.Options
	fs.StringVar(&o.ClientID, "client-id", authtest.DefaultClientID, "the public client's id")
	fs.StringVar(&o.Audience, "audience", "", `"aud" of access tokens (default: the client id)`)
	fs.StringVar(&o.TenantClaim, "tenant-claim", "tenant", "claim that carries the municipality code")
	fs.StringVar(&o.RolesClaim, "roles-claim", "roles", "claim that carries the roles (dotted names nest)")
	redirects := fs.String("redirect-uri", "", "comma-separated redirect URIs the client may use (default: any)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("-addr: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %s is not a loopback address: anyone who reaches this issuer can sign in as anyone", *addr)
	}
	if *redirects != "" {
		o.RedirectURIs = strings.Split(*redirects, ",")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	iss, err := authtest.Listen(*addr, o)
	if err != nil {
		return err
	}
	defer iss.Close()
	fmt.Fprintf(os.Stderr, "testissuer: %s (client %s, audience %s); for tests only\n", iss.URL, iss.ClientID(), iss.Audience())
	<-ctx.Done()
	return nil
}
