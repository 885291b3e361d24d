// Package s3test runs a real S3-compatible server for tests: VersityGW
// over a temporary directory, one per test, on a free loopback port.
//
// The binary is VERSITYGW when that is set, else .tools/bin/versitygw of
// the repository (`make versitygw` installs it, and `make test` does so
// first). When neither exists the helper runs `make versitygw` once; a
// test never skips for want of the server.
package s3test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Server is a running S3-compatible server.
type Server struct {
	// Endpoint is its host:port (plain HTTP).
	Endpoint string
	// AccessKey and SecretKey are its root credentials.
	AccessKey, SecretKey string
	// Dir is the directory it keeps buckets in: a bucket is a folder, an
	// object a file under it, so a test can read what really reached the
	// disk.
	Dir string
}

var (
	installOnce sync.Once
	installErr  error
)

// repoRoot is the folder holding go.work above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("s3test: no go.work above the working directory")
		}
		dir = parent
	}
}

// Binary returns the path of the versitygw binary, installing it with
// `make versitygw` when it is missing.
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("VERSITYGW"); p != "" {
		return p
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, ".tools", "bin", "versitygw")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	installOnce.Do(func() {
		cmd := exec.Command("make", "-s", "versitygw")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			installErr = fmt.Errorf("s3test: make versitygw: %v\n%s", err, out)
		}
	})
	if installErr != nil {
		t.Fatal(installErr)
	}
	return bin
}

// freeAddr returns a loopback address nothing listens on now.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// Start runs a server for the rest of the test.
func Start(t testing.TB) Server {
	t.Helper()
	bin := Binary(t)
	s := Server{AccessKey: "s3test-access", SecretKey: "s3test-secret-key-0123456789", Dir: t.TempDir()}
	for attempt := 0; ; attempt++ {
		s.Endpoint = freeAddr(t)
		var log bytes.Buffer
		cmd := exec.Command(bin, "--access", s.AccessKey, "--secret", s.SecretKey, "--port", s.Endpoint, "--quiet", "posix", s.Dir)
		cmd.Stdout, cmd.Stderr = &log, &log
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := cmd.Start(); err != nil {
			t.Fatalf("s3test: start %s: %v", bin, err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		if waitListening(s.Endpoint, exited) {
			t.Cleanup(func() {
				_ = cmd.Process.Signal(syscall.SIGTERM)
				select {
				case <-exited:
				case <-time.After(10 * time.Second):
					_ = cmd.Process.Kill()
					<-exited
				}
			})
			return s
		}
		_ = cmd.Process.Kill()
		<-exited
		if attempt == 2 {
			t.Fatalf("s3test: versitygw did not listen on %s:\n%s", s.Endpoint, log.String())
		}
	}
}

// waitListening waits up to 30 s for addr to accept connections; false
// when the process exited first (another process took the port).
func waitListening(addr string, exited <-chan struct{}) bool {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			_ = c.Close()
			return true
		}
		select {
		case <-exited:
			return false
		case <-time.After(50 * time.Millisecond):
		}
	}
	return false
}
