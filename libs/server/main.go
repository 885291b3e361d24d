package server

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/salga/trustengine/libs/config"
)

// Main is the main of a service's command: with MIGRATE_ONLY=1
// (config.MigrateOnly) it runs migrate, the service's migrate-only run
// (Migrate or MigrateSealed), else serve. Either runs under a context
// cancelled by SIGINT or SIGTERM; an error is printed naming the service
// and the process exits 1.
//
//	func main() { server.Main("sla", serve, server.Migrate(prepare)) }
func Main(name string, serve func(ctx context.Context) error, migrate Migration) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := dispatch(ctx, name, serve, migrate)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// dispatch runs migrate or serve, as MIGRATE_ONLY says.
func dispatch(ctx context.Context, name string, serve func(context.Context) error, migrate Migration) error {
	only, err := config.MigrateOnly()
	if err != nil {
		return err
	}
	if only {
		return migrate(ctx, name)
	}
	return serve(ctx)
}
