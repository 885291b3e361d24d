package e2e

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// pgTestFsync is Debian's path of the PostgreSQL 15 fsync tool; PG_TEST_FSYNC
// overrides it.
const pgTestFsync = "/usr/lib/postgresql/15/bin/pg_test_fsync"

// describeMachine records cores, Go and Postgres versions and the disk's
// fdatasync rate, which bounds every committing benchmark here.
func describeMachine(ctx context.Context, db *pgxpool.Pool) benchMachine {
	m := benchMachine{Cores: runtime.NumCPU(), GoVersion: runtime.Version()}
	_ = db.QueryRow(ctx, `SHOW server_version`).Scan(&m.Postgres)
	m.FdatasyncPerSec = fdatasyncRate()
	return m
}

// fdatasyncRate runs pg_test_fsync for one second per test and returns the
// first fdatasync ops/sec line (one 8 kB write per sync); 0 when the tool is
// missing or its output is not understood.
func fdatasyncRate() float64 {
	tool := os.Getenv("PG_TEST_FSYNC")
	if tool == "" {
		tool = pgTestFsync
	}
	dir, err := os.MkdirTemp("", "trustengine-fsync-")
	if err != nil {
		return 0
	}
	defer os.RemoveAll(dir)
	out, err := exec.Command(tool, "-s", "1", "-f", filepath.Join(dir, "probe")).Output()
	if err != nil {
		return 0
	}
	return parseFdatasync(string(out))
}

// parseFdatasync finds "fdatasync  1234.567 ops/sec ..." in pg_test_fsync's
// output.
func parseFdatasync(out string) float64 {
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 3 && f[0] == "fdatasync" && f[2] == "ops/sec" {
			if v, err := strconv.ParseFloat(f[1], 64); err == nil {
				return v
			}
		}
	}
	return 0
}

// commitOf names the checked-out commit, marked -dirty when tracked files
// differ from it.
func commitOf() string {
	root := benchRepoRoot()
	out, err := exec.Command("git", "-C", root, "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if err := exec.Command("git", "-C", root, "diff", "--quiet", "HEAD").Run(); err != nil {
		c += "-dirty"
	}
	return c
}

// peakRSSKiB reads VmHWM (the peak resident set) of a process in KiB.
func peakRSSKiB(pid int) float64 {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				v, _ := strconv.ParseFloat(f[0], 64)
				return v
			}
		}
	}
	return 0
}
