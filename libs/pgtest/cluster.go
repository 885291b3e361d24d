package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/pg"
)

// DefaultBinDir holds initdb and pg_ctl of the PostgreSQL the suite runs
// on (PostGIS is installed for it system-wide). PGTEST_BIN_DIR overrides it.
const DefaultBinDir = "/usr/lib/postgresql/15/bin"

// Cluster is a PostgreSQL server of one test's own, on a free loopback
// port, so that the test may stop and start it (a database restart or
// failover) without touching the server other tests share. It runs as the
// `postgres` user when the test runs as root, since PostgreSQL refuses
// root.
type Cluster struct {
	t    testing.TB
	bin  string
	dir  string
	port int
	cred *syscall.Credential
}

// StartCluster creates a cluster in a fresh directory (initdb, trust
// authentication on loopback only, fsync off) and starts it; the test's
// cleanup stops it and removes the directory.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	bin := os.Getenv("PGTEST_BIN_DIR")
	if bin == "" {
		bin = DefaultBinDir
	}
	dir, err := os.MkdirTemp("", "pgtest-cluster-")
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	c := &Cluster{t: t, bin: bin, dir: dir, port: freeLoopbackPort(t)}
	t.Cleanup(func() {
		_ = c.ctl("stop", "-m", "immediate")
		_ = os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("pgtest: running as root needs a postgres user to run the cluster: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatalf("pgtest: %v", err)
		}
	}
	if out, err := c.command(filepath.Join(bin, "initdb"), "-D", c.data(), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8").CombinedOutput(); err != nil {
		t.Fatalf("pgtest: initdb: %v\n%s", err, out)
	}
	if err := c.Start(); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return c
}

// freeLoopbackPort returns a loopback port free at the time of the call.
func freeLoopbackPort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func (c *Cluster) data() string { return filepath.Join(c.dir, "data") }

// command runs a PostgreSQL program as the cluster's user.
func (c *Cluster) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	return cmd
}

// ctl runs pg_ctl with args on the cluster.
func (c *Cluster) ctl(args ...string) error {
	args = append(args, "-D", c.data(), "-w", "-t", "60")
	if out, err := c.command(filepath.Join(c.bin, "pg_ctl"), args...).CombinedOutput(); err != nil {
		return fmt.Errorf("pg_ctl %s: %w\n%s", args[0], err, out)
	}
	return nil
}

// Start starts the server (again) on its port and waits until it accepts
// connections.
func (c *Cluster) Start() error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
		c.port, c.dir)
	return c.ctl("start", "-l", filepath.Join(c.dir, "server.log"), "-o", opts)
}

// Stop stops the server as an operator or a failover does: sessions are
// ended at once (`pg_ctl stop -m fast`), transactions in flight roll back.
func (c *Cluster) Stop() error { return c.ctl("stop", "-m", "fast") }

// URL is the URL of database name on the cluster, as user postgres.
func (c *Cluster) URL(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, name)
}

// NewDBURL creates a database on the cluster with PostGIS and the
// application role (as the shared server's templates have) and setup
// applied, and returns its URL and a pool on it, closed when the test ends.
func (c *Cluster) NewDBURL(t testing.TB, setup SetupFunc) (string, *pgxpool.Pool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin, err := pg.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer admin.Close()
	name := "te_" + randomHex(8)
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	url := c.URL(name)
	pool, err := pg.Connect(ctx, url)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(pool.Close)
	for _, step := range []SetupFunc{pg.EnsurePostGIS, pg.EnsureAppRole, setup} {
		if step == nil {
			continue
		}
		if err := step(ctx, pool); err != nil {
			t.Fatalf("pgtest: prepare %s: %v", name, err)
		}
	}
	return url, pool
}
