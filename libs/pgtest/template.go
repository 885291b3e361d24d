package pgtest

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/pg"
)

// keyPattern keeps template names valid unquoted identifiers within 63 bytes.
var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,30}$`)

// templateState is one template, built at most once per process.
type templateState struct {
	once sync.Once
	name string
	err  error
}

var (
	mu        sync.Mutex
	templates = map[string]*templateState{}

	adminOnce sync.Once
	admin     *pgxpool.Pool
	adminErr  error
)

// adminPool connects to the server's maintenance database, once per process, and
// reaps databases abandoned by crashed test processes on this host.
func adminPool(ctx context.Context) (*pgxpool.Pool, error) {
	adminOnce.Do(func() {
		admin, adminErr = pg.Connect(ctx, baseURL())
		if adminErr == nil {
			reapAbandoned(ctx, admin)
		}
	})
	return admin, adminErr
}

// processTag identifies this process in database names and comments: a hash of the
// test binary path and pid, so parallel package binaries never share a template.
func processTag() string {
	exe, _ := os.Executable()
	h := fnv.New32a()
	_, _ = fmt.Fprintf(h, "%s:%d", exe, os.Getpid())
	return fmt.Sprintf("%08x", h.Sum32())
}

func owner() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("pgtest host=%s pid=%d", host, os.Getpid())
}

// template returns the name of the ready template for key, building it on first use.
func template(ctx context.Context, admin *pgxpool.Pool, key string, setup SetupFunc) (string, error) {
	if !keyPattern.MatchString(key) {
		return "", fmt.Errorf("template key %q must match %s", key, keyPattern)
	}
	mu.Lock()
	st, ok := templates[key]
	if !ok {
		st = &templateState{name: "te_tpl_" + key + "_" + processTag()}
		templates[key] = st
	}
	mu.Unlock()
	st.once.Do(func() { st.err = buildTemplate(ctx, admin, st.name, setup) })
	return st.name, st.err
}

// buildTemplate (re)creates database name and prepares it. An advisory lock on the
// name guards against another process doing the same; a leftover database of that
// name is stale by definition and is replaced.
func buildTemplate(ctx context.Context, admin *pgxpool.Pool, name string, setup SetupFunc) error {
	conn, err := admin.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire: %w", err)
	}
	defer conn.Release()
	key := int64(fnv32(name))
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return fmt.Errorf("lock template %s: %w", name, err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key) }()

	if err := dropDatabase(ctx, admin, name); err != nil {
		return err
	}
	if err := createDatabase(ctx, admin, name, ""); err != nil {
		return err
	}
	dbURL, err := databaseURL(name)
	if err != nil {
		return err
	}
	pool, err := pg.Connect(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("template %s: %w", name, err)
	}
	// Every connection must be gone before the database can serve as a template.
	defer pool.Close()
	if err := pg.EnsurePostGIS(ctx, pool); err != nil {
		return fmt.Errorf("template %s: %w", name, err)
	}
	if err := pg.EnsureAppRole(ctx, pool); err != nil {
		return fmt.Errorf("template %s: %w", name, err)
	}
	if setup != nil {
		if err := setup(ctx, pool); err != nil {
			return fmt.Errorf("template %s: setup: %w", name, err)
		}
	}
	return nil
}

func fnv32(s string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return h.Sum32()
}

// createDatabase creates name, cloned from tpl when tpl is set, and tags it with
// this process as owner. Cloning fails with 55006 while anything (including a
// concurrent clone) is connected to the template, so that is retried.
func createDatabase(ctx context.Context, admin *pgxpool.Pool, name, tpl string) error {
	sql := `CREATE DATABASE ` + name
	if tpl != "" {
		sql += ` TEMPLATE ` + tpl
	}
	var err error
	for attempt := 0; ; attempt++ {
		_, err = admin.Exec(ctx, sql)
		if err == nil || pg.SQLState(err) != "55006" || attempt >= 100 {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("create database %s: %w", name, ctx.Err())
		case <-time.After(time.Duration(10+attempt*10) * time.Millisecond):
		}
	}
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	if _, err := admin.Exec(ctx, `COMMENT ON DATABASE `+name+` IS '`+owner()+`'`); err != nil {
		return fmt.Errorf("comment database %s: %w", name, err)
	}
	return nil
}

func cloneDatabase(ctx context.Context, admin *pgxpool.Pool, name, tpl string) error {
	return createDatabase(ctx, admin, name, tpl)
}

func dropDatabase(ctx context.Context, admin *pgxpool.Pool, name string) error {
	if _, err := admin.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// cleanup drops this process's templates and closes the admin pool.
func cleanup() {
	if admin == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	mu.Lock()
	defer mu.Unlock()
	for key, st := range templates {
		if err := dropDatabase(ctx, admin, st.name); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
		delete(templates, key)
	}
	admin.Close()
}

// reapAbandoned drops te_* databases whose owning process on this host is gone.
// Best effort: a failure here must not fail the tests.
func reapAbandoned(ctx context.Context, admin *pgxpool.Pool) {
	host, _ := os.Hostname()
	rows, err := admin.Query(ctx, `SELECT datname, coalesce(shobj_description(oid, 'pg_database'), '')
		FROM pg_database WHERE datname LIKE 'te\_%'`)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name, comment string
		if rows.Scan(&name, &comment) != nil {
			continue
		}
		rest, tagged := strings.CutPrefix(comment, "pgtest host=")
		h, pidText, ok := strings.Cut(rest, " pid=")
		pid, perr := strconv.Atoi(pidText)
		if !tagged || !ok || perr != nil || h != host || processAlive(pid) {
			continue
		}
		stale = append(stale, name)
	}
	rows.Close()
	for _, name := range stale {
		_ = dropDatabase(ctx, admin, name)
	}
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
