// Package config is the ticket service's configuration, read from the
// environment.
package config

import (
	"fmt"

	libconfig "github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/seal"
)

// Config is every setting of the ticket service.
type Config struct {
	libconfig.Common
	libconfig.GBV

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
