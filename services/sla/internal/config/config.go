// Package config is the SLA service's environment configuration.
package config

import (
	"fmt"
	"time"

	libconfig "github.com/salga/trustengine/libs/config"
)

// Config is every setting of the SLA service.
type Config struct {
	libconfig.Common
	// SweepInterval is how often the sweep runs (SLA_SWEEP_INTERVAL). Default 5m.
	SweepInterval time.Duration `env:"SLA_SWEEP_INTERVAL" envDefault:"5m"`
	// SweepBatch is how many due clocks one sweep transaction handles
	// (SLA_SWEEP_BATCH). Default 1000.
	SweepBatch int `env:"SLA_SWEEP_BATCH" envDefault:"1000"`
	// RoutingAddr is the routing service's gRPC address (ROUTING_ADDR); empty
	// leaves escalation jobs queued for a replica that has it. Default empty.
	RoutingAddr string `env:"ROUTING_ADDR"`
	// TicketAddr is the ticket service's gRPC address (TICKET_ADDR); empty
	// leaves deadline jobs queued. Default empty.
	TicketAddr string `env:"TICKET_ADDR"`
	// JobWorkers is River's worker count per queue (SLA_JOB_WORKERS). Default 30.
	JobWorkers int `env:"SLA_JOB_WORKERS" envDefault:"30"`
}

// Load reads the environment and applies the SLA ports :9103 and :9203.
func Load() (Config, error) {
	var c Config
	err := libconfig.Load(&c)
	if err != nil {
		return c, fmt.Errorf("config.Load: %w", err)
	}
	c.Common = c.Common.WithDefaults(":9103", ":9203")
	if c.Auth, err = c.Auth.ForService(); err != nil {
		return c, err
	}
	if c.SweepInterval <= 0 || c.SweepBatch <= 0 || c.JobWorkers <= 0 {
		return c, fmt.Errorf("config.Load: SLA_SWEEP_INTERVAL, SLA_SWEEP_BATCH and SLA_JOB_WORKERS must be positive")
	}
	return c, nil
}
