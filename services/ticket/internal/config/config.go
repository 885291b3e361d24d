// Package config is the ticket service's configuration, read from the
// environment.
package config

import (
	"fmt"

	libconfig "github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/services/ticket/internal/seal"
)

// Config is every setting of the ticket service.
type Config struct {
	libconfig.Common

	// GBVKeys is the keyring sealing GBV content (TICKET_GBV_KEYS): a comma
	// list of kid:base64 with 32-byte AES-256 keys. Default: a development-only
	// key (seal.DevKeys) so a local run works; set real keys in any deployment.
	GBVKeys string `env:"TICKET_GBV_KEYS"`
	// GBVActiveKeyID names the key that seals new content
	// (TICKET_GBV_ACTIVE_KEY_ID). Default: "dev". Rotate by adding a key to
	// TICKET_GBV_KEYS and pointing this at it; old keys keep opening old rows.
	GBVActiveKeyID string `env:"TICKET_GBV_ACTIVE_KEY_ID" envDefault:"dev"`
	// RoutingAddr is the routing service's gRPC address (ROUTING_ADDR).
	// Default: empty, which delivers no routing jobs from this process.
	RoutingAddr string `env:"ROUTING_ADDR"`
	// SLAAddr is the SLA service's gRPC address (SLA_ADDR). Default: empty,
	// which delivers no SLA jobs from this process.
	SLAAddr string `env:"SLA_ADDR"`
}

// Load reads the configuration, filling the ticket service's default ports
// (gRPC :9101, admin :9201).
func Load() (Config, error) {
	var c Config
	if err := libconfig.Load(&c); err != nil {
		return Config{}, fmt.Errorf("config.Load: %w", err)
	}
	c.Common = c.WithDefaults(":9101", ":9201")
	if c.GBVKeys == "" {
		c.GBVKeys = seal.DevKeys
	}
	return c, nil
}

// UsesDevKey reports whether GBV content would be sealed with the
// development key, which start-up logs loudly.
func (c Config) UsesDevKey() bool { return c.GBVKeys == seal.DevKeys }
