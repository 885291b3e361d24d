// Package config is the ticket service's configuration, read from the
// environment.
package config

import (
	"fmt"

	libconfig "github.com/salga/trustengine/libs/config"
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
	err := libconfig.Load(&c)
	if err != nil {
		return Config{}, fmt.Errorf("config.Load: %w", err)
	}
	c.Common = c.WithDefaults(":9101", ":9201")
	if c.Auth, err = c.Auth.ForService(); err != nil {
		return Config{}, err
	}
	return c, nil
}
