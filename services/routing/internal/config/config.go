// Package config is the routing service's environment configuration.
package config

import (
	"fmt"

	libconfig "github.com/salga/trustengine/libs/config"
)

// Default listen addresses of the routing service.
const (
	DefaultGRPCAddr  = ":9102"
	DefaultAdminAddr = ":9202"
)

// Config is every setting of the routing binary.
type Config struct {
	libconfig.Common
	// GBV is the key ring that seals the notes of GBV assignments
	// (GBV_KEYS, GBV_ACTIVE_KEY_ID), the same one the ticket service uses.
	libconfig.GBV
	// TicketAddr is the ticket service's gRPC address (TICKET_ADDR), e.g.
	// ticket:9101. When empty, routing.record_assignment jobs are still
	// recorded but not worked by this process. Default: empty.
	TicketAddr string `env:"TICKET_ADDR"`
	// ServiceName is the subject of this service's tokens to its peers
	// (SERVICE_NAME). Default: routing.
	ServiceName string `env:"SERVICE_NAME" envDefault:"routing"`
}

// Load reads Config from the environment and fills the default ports.
func Load() (Config, error) {
	var c Config
	err := libconfig.Load(&c)
	if err != nil {
		return Config{}, fmt.Errorf("config.Load: %w", err)
	}
	c.Common = c.Common.WithDefaults(DefaultGRPCAddr, DefaultAdminAddr)
	if c.Auth, err = c.Auth.ForService(); err != nil {
		return Config{}, err
	}
	return c, nil
}
