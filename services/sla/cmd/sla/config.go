package main

import (
	"fmt"
	"time"

	"github.com/salga/trustengine/libs/config"
)

// Config is every setting of the SLA service, read from the environment
// (see the service's README).
type Config struct {
	config.Common

	// SweepInterval is how often the sweep runs (SLA_SWEEP_INTERVAL).
	// Default: 5m.
	SweepInterval time.Duration `env:"SLA_SWEEP_INTERVAL" envDefault:"5m"`
	// SweepBatch is how many due clocks one sweep transaction handles
	// (SLA_SWEEP_BATCH). Default: 1000.
	SweepBatch int `env:"SLA_SWEEP_BATCH" envDefault:"1000"`
	// ReportFoldInterval is how often the changes of the report cells that
	// clock events recorded are added to the cells
	// (SLA_REPORT_FOLD_INTERVAL). Reports count the changes not yet added,
	// so it bounds how much they read, not how late they are. Default: 1s.
	ReportFoldInterval time.Duration `env:"SLA_REPORT_FOLD_INTERVAL" envDefault:"1s"`
	// RoutingAddr is the routing service's gRPC address (ROUTING_ADDR).
	// Default: empty, which leaves escalation jobs queued for a replica
	// that has it.
	RoutingAddr string `env:"ROUTING_ADDR"`
	// TicketAddr is the ticket service's gRPC address (TICKET_ADDR).
	// Default: empty, which leaves deadline and clock-event jobs queued.
	TicketAddr string `env:"TICKET_ADDR"`
	// NotifyAddr is the notify service's gRPC address (NOTIFY_ADDR).
	// Default: empty, which leaves report mail jobs queued.
	NotifyAddr string `env:"NOTIFY_ADDR"`
}

// loadConfig reads the configuration, filling the SLA service's default
// ports (gRPC :9103, admin :9203) and resolving its keys.
func loadConfig() (Config, error) {
	var c Config
	err := config.Load(&c)
	if err != nil {
		return Config{}, fmt.Errorf("sla: %w", err)
	}
	c.Common = c.WithDefaults(":9103", ":9203")
	if c.Auth, err = c.Auth.ForService(); err != nil {
		return Config{}, err
	}
	if c.SweepInterval <= 0 || c.SweepBatch <= 0 || c.ReportFoldInterval <= 0 {
		return Config{}, fmt.Errorf("sla: SLA_SWEEP_INTERVAL, SLA_SWEEP_BATCH and SLA_REPORT_FOLD_INTERVAL must be positive")
	}
	return c, nil
}
