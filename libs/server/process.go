package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/logging"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/tracing"
)

// Process is what every service opens before it wires its own parts (its
// peers, queue, use cases and handlers): its token verifier and its
// prepared database, with the settings of config.Common.
type Process struct {
	// Log is the process's logger (LOG_LEVEL).
	Log *slog.Logger
	// Pool is the service's database, prepared.
	Pool *pgxpool.Pool

	name     string
	common   config.Common
	verifier *auth.Verifier
	// stopTracing flushes the process's spans (libs/tracing).
	stopTracing func(context.Context) error
}

// Open opens the process of service name with settings c: its logger,
// the verifier of its tokens, then its database (DATABASE_URL), prepared by
// prepare (the preparation of its migrate-only run too) before anything is
// served. Close closes the database.
func Open(ctx context.Context, name string, c config.Common, prepare Prepare) (*Process, error) {
	return open(ctx, name, c, logging.New(c.LogLevel), prepare)
}

// OpenSealed is Open for a service that seals GBV content: it first builds
// the key ring of g (outside development mode GBV_KEYS must hold real
// keys) and prepares the database with what prepare builds with it, which
// seals what older versions kept in plain text.
func OpenSealed(ctx context.Context, name string, c config.Common, g config.GBV, prepare func(*seal.Keyring) Prepare) (*Process, *seal.Keyring, error) {
	log := logging.New(c.LogLevel)
	keys, err := keyring(g, c.DevMode, log)
	if err != nil {
		return nil, nil, err
	}
	p, err := open(ctx, name, c, log, prepare(keys))
	return p, keys, err
}

// open is Open with the process's logger.
func open(ctx context.Context, name string, c config.Common, log *slog.Logger, prepare Prepare) (*Process, error) {
	verifier, err := auth.NewVerifierFromConfig(c.VerifierConfig())
	if err != nil {
		return nil, err
	}
	stopTracing, err := tracing.Start(ctx, name)
	if err != nil {
		return nil, err
	}
	pool, err := pg.Connect(ctx, c.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if err := prepare(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("server.Open: %s: %w", name, err)
	}
	return &Process{Log: log, Pool: pool, name: name, common: c, verifier: verifier, stopTracing: stopTracing}, nil
}

// Close closes the process's database and flushes its spans.
func (p *Process) Close() {
	p.Pool.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.stopTracing(ctx); err != nil {
		p.Log.Warn("flush traces", "error", err.Error())
	}
}

// Server builds the process's server: o, which carries the service's own
// settings (its queue, background loops and gRPC options), with those
// every service shares taken from the process: its name, listen
// addresses, logger, token verifier, shutdown timeout, reflection, and a
// readiness that pings the database.
func (p *Process) Server(o Options) *Server {
	o.Name, o.GRPCAddr, o.AdminAddr, o.Logger = p.name, p.common.GRPCAddr, p.common.AdminAddr, p.Log
	o.Verifier, o.ShutdownTimeout, o.Profiling = p.verifier, p.common.ShutdownTimeout, p.common.Profiling
	o.Reflection, o.OpenReflection = p.common.Reflection()
	o.Ready = func(ctx context.Context) error { return p.Pool.Ping(ctx) }
	return New(o)
}

// Replica names the process among its service's replicas, the same across
// its restarts: its host's name, the service and its gRPC port
// ("ticket-7c9d5-x2k4q/ticket:9101"). In Kubernetes the host is the pod, so a
// container restarted in its pod is the same replica; on one machine the
// port tells replicas apart. Its job queue uses it to take back what a
// killed run left running (queue.Options.Replica).
func (p *Process) Replica() string {
	host, err := os.Hostname()
	if err != nil {
		host = "localhost"
	}
	port := p.common.GRPCAddr
	if _, pt, err := net.SplitHostPort(port); err == nil {
		port = pt
	}
	return host + "/" + p.name + ":" + port
}

// keyring builds the key ring that seals GBV content (config.GBV.Keyring),
// warning on log when it is the published development key.
func keyring(g config.GBV, devMode bool, log *slog.Logger) (*seal.Keyring, error) {
	keys, err := g.Keyring(devMode)
	if err != nil {
		return nil, err
	}
	if keys.HoldsDevKey() {
		log.Warn("development mode: GBV content is sealed with the published development key")
	}
	return keys, nil
}
