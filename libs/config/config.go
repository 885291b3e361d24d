// Package config loads service configuration from environment variables.
//
// Every service declares one struct with `env:"NAME" envDefault:"..."` tags and embeds
// Common, so the settings every process shares are spelled the same everywhere.
package config

import (
	"fmt"
	"time"

	"github.com/caarlos0/env/v11"
)

// Common holds the settings every Trust Engine service reads. Embed it (without a
// prefix) in a service's own config struct and call WithDefaults to supply the
// service's own listen addresses.
type Common struct {
	// GRPCAddr is the gRPC listen address (GRPC_ADDR). No default here: each service
	// has its own well-known port, filled in by WithDefaults.
	GRPCAddr string `env:"GRPC_ADDR"`
	// AdminAddr is the HTTP listen address for /metrics, /healthz and /readyz
	// (ADMIN_ADDR). No default here, see WithDefaults.
	AdminAddr string `env:"ADMIN_ADDR"`
	// DatabaseURL is the Postgres connection string (DATABASE_URL).
	// Default: postgres://postgres@127.0.0.1:5432/trustengine?sslmode=disable.
	DatabaseURL string `env:"DATABASE_URL" envDefault:"postgres://postgres@127.0.0.1:5432/trustengine?sslmode=disable"`
	// LogLevel is one of debug, info, warn, error (LOG_LEVEL). Default: info.
	LogLevel string `env:"LOG_LEVEL" envDefault:"info"`
	// Auth holds the development-mode switch and the token keys.
	Auth
	// GRPCReflection serves gRPC server reflection (GRPC_REFLECTION, a
	// boolean). Default: on in development mode, where it needs no token;
	// off outside it, where setting it on serves reflection only to callers
	// with a valid token.
	GRPCReflection *bool `env:"GRPC_REFLECTION"`
	// ShutdownTimeout bounds graceful shutdown before in-flight RPCs are cut
	// (SHUTDOWN_TIMEOUT). Default: 15s.
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"15s"`
	// Profiling serves Go's runtime profiles (net/http/pprof) under
	// /debug/pprof/ on the admin port (ADMIN_PPROF, a boolean). Default:
	// off. The admin port is not reachable from outside (the network
	// policies admit only the gateway's public port).
	Profiling bool `env:"ADMIN_PPROF"`
}

// Reflection reports whether the service serves gRPC reflection and whether
// it does so without a token (development mode only): see GRPCReflection.
func (c Common) Reflection() (served, open bool) {
	served = c.DevMode
	if c.GRPCReflection != nil {
		served = *c.GRPCReflection
	}
	return served, served && c.DevMode
}

// WithDefaults returns c with an empty GRPCAddr or AdminAddr replaced by the given
// service-specific defaults; values set in the environment win.
func (c Common) WithDefaults(grpcAddr, adminAddr string) Common {
	if c.GRPCAddr == "" {
		c.GRPCAddr = grpcAddr
	}
	if c.AdminAddr == "" {
		c.AdminAddr = adminAddr
	}
	return c
}

// Load fills dst, a pointer to a struct with env tags, from the process environment.
func Load(dst any) error {
	if err := env.Parse(dst); err != nil {
		return fmt.Errorf("config.Load: %w", err)
	}
	return nil
}
