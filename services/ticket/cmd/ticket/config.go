package main

import (
	"fmt"

	"github.com/salga/trustengine/libs/config"
)

// Config is every setting of the ticket service, read from the environment
// (see the service's README).
type Config struct {
	config.Common
	config.GBV
	PhotoConfig

	// RoutingAddr is the routing service's gRPC address (ROUTING_ADDR).
	// Default: empty, which delivers no routing jobs from this process.
	RoutingAddr string `env:"ROUTING_ADDR"`
	// SLAAddr is the SLA service's gRPC address (SLA_ADDR). Default: empty,
	// which delivers no SLA jobs from this process.
	SLAAddr string `env:"SLA_ADDR"`
	// NotifyAddr is the notify service's gRPC address (NOTIFY_ADDR).
	// Default: empty, which delivers no notification events from this
	// process (they wait in the queue).
	NotifyAddr string `env:"NOTIFY_ADDR"`
}

// loadConfig reads the configuration, filling the ticket service's default
// ports (gRPC :9101, admin :9201) and resolving its keys.
func loadConfig() (Config, error) {
	var c Config
	err := config.Load(&c)
	if err != nil {
		return Config{}, fmt.Errorf("ticket: %w", err)
	}
	c.Common = c.WithDefaults(":9101", ":9201")
	if c.Auth, err = c.Auth.ForService(); err != nil {
		return Config{}, err
	}
	return c, nil
}
