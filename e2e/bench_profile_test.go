package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// profileDir is BENCH_PROFILE: a folder for CPU profiles of the services
// taken while the pipeline section runs (empty: none taken).
func profileDir() string { return os.Getenv("BENCH_PROFILE") }

// profileEnv turns on the services' profiles when profiles are wanted.
func profileEnv() []string {
	if profileDir() == "" {
		return nil
	}
	return []string{"ADMIN_PPROF=true"}
}

// profileDuring starts a CPU profile of secs seconds of each named process
// of s (their admin port's /debug/pprof/profile), written to
// BENCH_PROFILE as <label>-<process>.pprof for `go tool pprof`; the
// returned function waits for them. Without BENCH_PROFILE it does nothing.
func (s *suite) profileDuring(b *testing.B, label string, secs int, names ...string) (wait func()) {
	dir := profileDir()
	if dir == "" {
		return func() {}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatalf("profiles: %v", err)
	}
	var wg sync.WaitGroup
	client := &http.Client{Timeout: time.Duration(secs+30) * time.Second}
	for _, name := range names {
		wg.Go(func() {
			url := fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", s.adminAddr(name), secs)
			resp, err := client.Get(url)
			if err != nil {
				b.Logf("profile of %s: %v", name, err)
				return
			}
			defer resp.Body.Close()
			raw, err := io.ReadAll(resp.Body)
			if err != nil || resp.StatusCode != http.StatusOK {
				b.Logf("profile of %s: %d %v", name, resp.StatusCode, err)
				return
			}
			path := filepath.Join(dir, label+"-"+name+".pprof")
			if err := os.WriteFile(path, raw, 0o644); err != nil {
				b.Logf("profile of %s: %v", name, err)
			}
		})
	}
	return wg.Wait
}
