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
	// JWTSecret is the HS256 shared secret (JWT_HS256_SECRET).
	// Default: dev-only-insecure-secret-change-me, which is only fit for development.
	JWTSecret string `env:"JWT_HS256_SECRET" envDefault:"dev-only-insecure-secret-change-me"`
	// JWTPublicKeyFile is a PEM RSA public key (JWT_RS256_PUBLIC_KEY_FILE). When set,
	// tokens are verified with RS256 and JWTSecret is ignored. Default: empty.
	JWTPublicKeyFile string `env:"JWT_RS256_PUBLIC_KEY_FILE"`
	// JWTPrivateKeyFile is the PEM RSA private key a service signs its own
	// service tokens with when the deployment uses RS256
	// (JWT_RS256_PRIVATE_KEY_FILE). When empty, service tokens are signed with
	// JWTSecret. Default: empty.
	JWTPrivateKeyFile string `env:"JWT_RS256_PRIVATE_KEY_FILE"`
	// ShutdownTimeout bounds graceful shutdown before in-flight RPCs are cut
	// (SHUTDOWN_TIMEOUT). Default: 15s.
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"15s"`
}

// GBV is the key ring that seals gender-based-violence content at rest, for
// every service that stores any (tickets, notes, reasons, assignment notes).
// Embed it in the config of such a service.
type GBV struct {
	// GBVKeys is the key ring (GBV_KEYS): a comma list of kid:base64 with
	// 32-byte AES-256 keys. Default: empty, which means the development-only
	// key (seal.DevKeys).
	GBVKeys string `env:"GBV_KEYS"`
	// GBVActiveKeyID names the key that seals new content (GBV_ACTIVE_KEY_ID).
	// Default: "dev". Rotate by adding a key to GBV_KEYS and pointing this at
	// it; old keys keep opening old rows.
	GBVActiveKeyID string `env:"GBV_ACTIVE_KEY_ID" envDefault:"dev"`
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
