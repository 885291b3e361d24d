package main

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
)

// module is a downloaded Go module that schemas are read from.
type module struct {
	Path    string
	Version string
	// Sum is the module's go.sum hash, recorded so the sources can be checked.
	Sum string
	// Dir is the module's read-only copy in the module cache.
	Dir string
}

// String is module@version, as go commands spell it.
func (m module) String() string { return m.Path + "@" + m.Version }

// downloadModule fetches ref (module@version) through the Go module proxy
// with `go mod download -json`, which checks it against the checksum
// database, and returns where it is.
func downloadModule(ref string) (module, error) {
	if !strings.Contains(ref, "@") {
		return module{}, fmt.Errorf("downloadModule: %q is not module@version", ref)
	}
	out, err := exec.Command("go", "mod", "download", "-json", ref).Output()
	if err != nil {
		return module{}, fmt.Errorf("downloadModule: go mod download %s: %w", ref, err)
	}
	var m module
	if err := json.Unmarshal(out, &m); err != nil {
		return module{}, fmt.Errorf("downloadModule: %s: %w", ref, err)
	}
	if m.Dir == "" {
		return module{}, fmt.Errorf("downloadModule: go mod download %s gave no folder", ref)
	}
	return m, nil
}

// splitModuleDir splits module@version/dir into module@version and dir.
func splitModuleDir(s string) (ref, dir string, err error) {
	at := strings.LastIndex(s, "@")
	slash := strings.Index(s[at+1:], "/")
	if at < 0 || slash < 0 {
		return "", "", fmt.Errorf("splitModuleDir: %q is not module@version/folder", s)
	}
	return s[:at+1+slash], s[at+1+slash+1:], nil
}
