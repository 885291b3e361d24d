package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// generated is one converted schema and where it came from.
type generated struct {
	kind   kind
	doc    map[string]any
	source string
}

// sourcesFile records, beside the schemas, which modules and files they
// were generated from.
const sourcesFile = "sources.json"

// sources is the content of sourcesFile.
type sources struct {
	Generator string         `json:"generator"`
	Modules   []sourceModule `json:"modules"`
	Schemas   []sourceSchema `json:"schemas"`
}

// sourceModule is a module the schemas were read from, with its go.sum hash.
type sourceModule struct {
	Module  string `json:"module"`
	Version string `json:"version"`
	Sum     string `json:"sum"`
}

// sourceSchema names the source of one schema file.
type sourceSchema struct {
	File       string `json:"file"`
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Source     string `json:"source"`
}

// write replaces the schemas in dir with schemas and records their sources.
// Schemas of kinds the manifests no longer use are removed.
func write(dir string, schemas []generated, mods []module) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	rec := sources{Generator: "deploy/schemagen (make deploy-schemas)"}
	for _, m := range mods {
		rec.Modules = append(rec.Modules, sourceModule{Module: m.Path, Version: m.Version, Sum: m.Sum})
	}
	for _, g := range schemas {
		name := g.kind.fileName()
		if err := writeJSON(filepath.Join(dir, name), g.doc); err != nil {
			return err
		}
		rec.Schemas = append(rec.Schemas, sourceSchema{File: name, APIVersion: g.kind.APIVersion, Kind: g.kind.Kind, Source: g.source})
	}
	return writeJSON(filepath.Join(dir, sourcesFile), rec)
}

// writeJSON writes v indented, keys sorted, with <, > and & as they are
// (patterns contain them), so regenerating from the same sources gives the
// same bytes.
func writeJSON(path string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("writeJSON %s: %w", path, err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writeJSON: %w", err)
	}
	return nil
}
