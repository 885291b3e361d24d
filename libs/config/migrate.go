package config

import "fmt"

// MigrateOnlyVar is the environment variable of migrate-only mode
// (MIGRATE_ONLY=1): a service's binary prepares its database, exactly as it
// does before it serves, and exits without opening a port. A deployment's
// migration job runs the services that way before a release rolls out.
const MigrateOnlyVar = "MIGRATE_ONLY"

// Migration is everything a migrate-only run reads: the database, the log
// level, and the development-mode switch (which decides whether the GBV key
// ring may be the published development key). It holds no token secret and
// no address, so a migration job needs neither: it signs nothing, verifies
// nothing and serves nothing. A service that seals GBV content embeds GBV
// next to it, for the sealing of content older versions kept in plain text.
type Migration struct {
	// DatabaseURL is the Postgres connection string (DATABASE_URL), as in
	// Common.
	DatabaseURL string `env:"DATABASE_URL" envDefault:"postgres://postgres@127.0.0.1:5432/trustengine?sslmode=disable"`
	// LogLevel is one of debug, info, warn, error (LOG_LEVEL). Default: info.
	LogLevel string `env:"LOG_LEVEL" envDefault:"info"`
	// DevMode is the development mode (TRUSTENGINE_DEV_MODE=1), as in Auth.
	DevMode bool `env:"TRUSTENGINE_DEV_MODE"`
}

// MigrateOnly reports whether MIGRATE_ONLY (a boolean) puts the process in
// migrate-only mode. A value that is not a boolean is an error, not off, so
// a mistyped job never starts a server instead of migrating.
func MigrateOnly() (bool, error) {
	var mode struct {
		On bool `env:"MIGRATE_ONLY"`
	}
	if err := Load(&mode); err != nil {
		return false, fmt.Errorf("config: %s: %w", MigrateOnlyVar, err)
	}
	return mode.On, nil
}
