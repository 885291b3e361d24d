package main

import (
	"fmt"
	"time"

	"github.com/salga/trustengine/libs/config"
)

// Config is every setting of the routing service, read from the
// environment (see the service's README).
type Config struct {
	config.Common
	// GBV is the key ring that seals the notes of GBV assignments
	// (GBV_KEYS, GBV_ACTIVE_KEY_ID), the same one the ticket service uses.
	config.GBV

	// TicketAddr is the ticket service's gRPC address (TICKET_ADDR), e.g.
	// ticket:9101. Default: empty, which delivers no jobs from this process
	// (they are recorded and wait for a process that has it).
	TicketAddr string `env:"TICKET_ADDR"`
	// ServiceName is the subject of this service's tokens to its peers
	// (SERVICE_NAME). Default: routing.
	ServiceName string `env:"SERVICE_NAME" envDefault:"routing"`
	// BoundarySweepInterval is how often teams built from wards are moved
	// to the ward boundary sets that came into force
	// (BOUNDARY_SWEEP_INTERVAL). Default: 1m.
	BoundarySweepInterval time.Duration `env:"BOUNDARY_SWEEP_INTERVAL" envDefault:"1m"`
}

// loadConfig reads the configuration, filling the routing service's
// default ports (gRPC :9102, admin :9202) and resolving its keys.
func loadConfig() (Config, error) {
	var c Config
	err := config.Load(&c)
	if err != nil {
		return Config{}, fmt.Errorf("routing: %w", err)
	}
	c.Common = c.WithDefaults(":9102", ":9202")
	if c.BoundarySweepInterval <= 0 {
		return Config{}, fmt.Errorf("routing: BOUNDARY_SWEEP_INTERVAL must be positive")
	}
	if c.Auth, err = c.Auth.ForService(); err != nil {
		return Config{}, err
	}
	return c, nil
}
