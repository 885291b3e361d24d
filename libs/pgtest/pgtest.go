// Package pgtest gives each test its own Postgres database, cloned from a template
// that is migrated once per test process.
//
// Cloning (CREATE DATABASE ... TEMPLATE) costs far less than migrating, so tests stay
// isolated and parallel without paying for PostGIS and migrations each time. Use
// Main from TestMain so templates are dropped when the package's tests finish:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// The server is TEST_DATABASE_URL, by default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable. Every database this
// package creates is commented with its host and pid, so databases left behind by a
// crashed test process are dropped by the next one.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/pg"
)

// DefaultURL is the server used when TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// SetupFunc prepares a template database, typically by running migrations. It runs
// after PostGIS and pg.AppRole are in place.
type SetupFunc func(ctx context.Context, pool *pgxpool.Pool) error

// NewDB returns a pool on a fresh database cloned from the template named by key
// (created with setup on first use in this process). The database is dropped when
// the test ends. key must be a short lowercase identifier, e.g. "ticket".
func NewDB(t testing.TB, key string, setup SetupFunc) *pgxpool.Pool {
	t.Helper()
	_, pool := NewDBURL(t, key, setup)
	return pool
}

// NewDBURL is NewDB that also returns the database's URL, for handing to real
// service binaries in end-to-end tests.
func NewDBURL(t testing.TB, key string, setup SetupFunc) (string, *pgxpool.Pool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin, err := adminPool(ctx)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	tpl, err := template(ctx, admin, key, setup)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	name := "te_" + randomHex(8)
	if err := cloneDatabase(ctx, admin, name, tpl); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	dbURL, err := databaseURL(name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	pool, err := pg.Connect(ctx, dbURL)
	if err != nil {
		_ = dropDatabase(context.Background(), admin, name)
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		if err := dropDatabase(context.Background(), admin, name); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return dbURL, pool
}

// Main runs the tests, drops the templates this process created and exits with the
// tests' result. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// baseURL is the server's admin URL.
func baseURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// databaseURL is baseURL pointed at database name.
func databaseURL(name string) (string, error) {
	u, err := url.Parse(baseURL())
	if err != nil {
		return "", fmt.Errorf("parse TEST_DATABASE_URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
