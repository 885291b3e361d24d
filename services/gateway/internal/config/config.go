// Package config holds the gateway's settings, read from the environment.
package config

import (
	"fmt"
	"time"

	libconfig "github.com/salga/trustengine/libs/config"
)

// Config is every setting of the gateway. Each field names its environment
// variable and default.
type Config struct {
	// HTTPAddr is where JSON callers connect. GATEWAY_HTTP_ADDR, default :8080.
	HTTPAddr string `env:"GATEWAY_HTTP_ADDR" envDefault:":8080"`
	// TicketAddr is the ticket service's gRPC address. TICKET_ADDR, default
	// 127.0.0.1:9101.
	TicketAddr string `env:"TICKET_ADDR" envDefault:"127.0.0.1:9101"`
	// RoutingAddr is the routing service's gRPC address. ROUTING_ADDR,
	// default 127.0.0.1:9102.
	RoutingAddr string `env:"ROUTING_ADDR" envDefault:"127.0.0.1:9102"`
	// SLAAddr is the SLA service's gRPC address. SLA_ADDR, default
	// 127.0.0.1:9103.
	SLAAddr string `env:"SLA_ADDR" envDefault:"127.0.0.1:9103"`
	// NotifyAddr is the notify service's gRPC address. NOTIFY_ADDR,
	// default 127.0.0.1:9104.
	NotifyAddr string `env:"NOTIFY_ADDR" envDefault:"127.0.0.1:9104"`
	// CORSOrigins lists the browser origins allowed to call the API
	// (comma-separated; `*` for any). GATEWAY_CORS_ORIGINS, default none.
	CORSOrigins []string `env:"GATEWAY_CORS_ORIGINS" envSeparator:","`
	// MaxBodyBytes caps a request body; larger bodies get 413.
	// GATEWAY_MAX_BODY_BYTES, default 1 MiB.
	MaxBodyBytes int64 `env:"GATEWAY_MAX_BODY_BYTES" envDefault:"1048576"`
	// ShutdownTimeout bounds the graceful stop. SHUTDOWN_TIMEOUT, default 15s.
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"15s"`
	// TenantRate is the sustained requests per second allowed for one
	// tenant; 0 disables it. GATEWAY_TENANT_RATE, default 200.
	TenantRate float64 `env:"GATEWAY_TENANT_RATE" envDefault:"200"`
	// TenantBurst is the burst allowed above TenantRate.
	// GATEWAY_TENANT_BURST, default 400.
	TenantBurst int `env:"GATEWAY_TENANT_BURST" envDefault:"400"`
	// ClientRate is the sustained requests per second allowed for one
	// client (token subject, or address when unauthenticated); 0 disables it.
	// GATEWAY_CLIENT_RATE, default 20.
	ClientRate float64 `env:"GATEWAY_CLIENT_RATE" envDefault:"20"`
	// ClientBurst is the burst allowed above ClientRate.
	// GATEWAY_CLIENT_BURST, default 40.
	ClientBurst int `env:"GATEWAY_CLIENT_BURST" envDefault:"40"`
	// RateMaxKeys bounds how many tenants, and how many clients, have a
	// rate bucket of their own at once; beyond it, new ones share one bucket
	// until idle buckets are forgotten. GATEWAY_RATE_MAX_KEYS, default 100000.
	RateMaxKeys int `env:"GATEWAY_RATE_MAX_KEYS" envDefault:"100000"`
	// Auth is the development-mode switch and the token keys
	// (TRUSTENGINE_DEV_MODE, JWT_*, GATEWAY_JWT_SECRET): the user-token key
	// attributes requests to tenants for rate limiting, the gateway secret
	// signs the Open311 calls. See libconfig.Auth.ForGateway.
	libconfig.Auth
	// ConsoleTileURL is a raster tile URL template ({z}/{x}/{y}) the
	// console draws under its boundaries, where one is reachable; empty
	// leaves the map without a street layer. CONSOLE_TILE_URL.
	ConsoleTileURL string `env:"CONSOLE_TILE_URL"`
	// ConsoleTileAttribution is the attribution shown with those tiles.
	// CONSOLE_TILE_ATTRIBUTION.
	ConsoleTileAttribution string `env:"CONSOLE_TILE_ATTRIBUTION"`
	// ConsoleOIDCIssuer is the OpenID Connect issuer staff sign in to the
	// console with. CONSOLE_OIDC_ISSUER, default none.
	ConsoleOIDCIssuer string `env:"CONSOLE_OIDC_ISSUER"`
	// ConsoleOIDCClientID is the console's client id at that issuer.
	// CONSOLE_OIDC_CLIENT_ID.
	ConsoleOIDCClientID string `env:"CONSOLE_OIDC_CLIENT_ID"`
	// ConsoleOIDCScopes are the scopes the console asks for.
	// CONSOLE_OIDC_SCOPES, default "openid profile".
	ConsoleOIDCScopes string `env:"CONSOLE_OIDC_SCOPES" envDefault:"openid profile"`
	// LogLevel is debug, info, warn or error. LOG_LEVEL, default info.
	LogLevel string `env:"LOG_LEVEL" envDefault:"info"`
	// MaxUploadBytes is the largest photo of an upload (413 above it,
	// counted while it streams). GATEWAY_MAX_UPLOAD_BYTES, default 20 MiB.
	MaxUploadBytes int64 `env:"GATEWAY_MAX_UPLOAD_BYTES" envDefault:"20971520"`
	// MaxUploadFiles is the most photos of one request.
	// GATEWAY_MAX_UPLOAD_FILES, default 10.
	MaxUploadFiles int `env:"GATEWAY_MAX_UPLOAD_FILES" envDefault:"10"`
	// UploadIdleTimeout is the longest pause in an upload's body (408
	// after it). GATEWAY_UPLOAD_IDLE_TIMEOUT, default 30s.
	UploadIdleTimeout time.Duration `env:"GATEWAY_UPLOAD_IDLE_TIMEOUT" envDefault:"30s"`
	// UploadTimeout is the longest an upload's body may take to arrive.
	// GATEWAY_UPLOAD_TIMEOUT, default 10m.
	UploadTimeout time.Duration `env:"GATEWAY_UPLOAD_TIMEOUT" envDefault:"10m"`
	// PublicURL is the gateway's address as the public reaches it (scheme
	// and host), for Open311's media_url links; empty uses the request's
	// host. GATEWAY_PUBLIC_URL.
	PublicURL string `env:"GATEWAY_PUBLIC_URL"`
	// MediaFetchTimeout bounds the fetch of an Open311 report's media_url.
	// OPEN311_MEDIA_FETCH_TIMEOUT, default 10s; 0 does not fetch.
	MediaFetchTimeout time.Duration `env:"OPEN311_MEDIA_FETCH_TIMEOUT" envDefault:"10s"`
	// MediaFetchAllow lists address ranges (CIDR) a media_url may point at
	// although they are not public; empty in production (tests name
	// loopback). OPEN311_MEDIA_FETCH_ALLOW, comma-separated.
	MediaFetchAllow []string `env:"OPEN311_MEDIA_FETCH_ALLOW" envSeparator:","`
}

// Load reads the configuration from the environment.
func Load() (Config, error) {
	var c Config
	err := libconfig.Load(&c)
	if err != nil {
		return Config{}, fmt.Errorf("config.Load: %w", err)
	}
	if c.Auth, err = c.Auth.ForGateway(); err != nil {
		return Config{}, err
	}
	return c, nil
}
