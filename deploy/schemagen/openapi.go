package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// openAPIDir is where k8s.io/kubernetes keeps its OpenAPI v3 spec, one
// file per API group version.
const openAPIDir = "api/openapi-spec/v3"

// openAPIIndex holds the named schemas of the Kubernetes OpenAPI v3 spec.
type openAPIIndex struct {
	mod module
	// schemas are the components of every file, by name
	// (io.k8s.api.apps.v1.Deployment); equal names are equal schemas.
	schemas map[string]map[string]any
	// kinds names the component of each group, version and kind.
	kinds map[kind]string
	// files names the spec file that defines each kind.
	files map[kind]string
}

// gvk is the x-kubernetes-group-version-kind of a component.
type gvk struct {
	Group   string `json:"group"`
	Version string `json:"version"`
	Kind    string `json:"kind"`
}

// loadOpenAPI reads every file of the module's OpenAPI v3 spec.
func loadOpenAPI(mod module) (*openAPIIndex, error) {
	files, err := filepath.Glob(filepath.Join(mod.Dir, openAPIDir, "*.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("loadOpenAPI: no %s/*.json in %s (%v)", openAPIDir, mod, err)
	}
	sort.Strings(files)
	idx := &openAPIIndex{mod: mod, schemas: map[string]map[string]any{}, kinds: map[kind]string{}, files: map[kind]string{}}
	for _, f := range files {
		if err := idx.add(f); err != nil {
			return nil, err
		}
	}
	return idx, nil
}

// add indexes one spec file.
func (idx *openAPIIndex) add(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("loadOpenAPI: %w", err)
	}
	var spec struct {
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		return fmt.Errorf("loadOpenAPI: %s: %w", file, err)
	}
	for name, s := range spec.Components.Schemas {
		idx.schemas[name] = s
		raw, ok := s["x-kubernetes-group-version-kind"]
		if !ok {
			continue
		}
		var gvks []gvk
		b, _ := json.Marshal(raw)
		if err := json.Unmarshal(b, &gvks); err != nil {
			return fmt.Errorf("loadOpenAPI: %s: %s: x-kubernetes-group-version-kind: %w", file, name, err)
		}
		for _, g := range gvks {
			k := kind{APIVersion: g.Version, Kind: g.Kind}
			if g.Group != "" {
				k.APIVersion = g.Group + "/" + g.Version
			}
			// Several components carry the same GVK only for shared types
			// such as DeleteOptions; a kind's own schema is named after it.
			if filepath.Ext(name) == "."+g.Kind || idx.kinds[k] == "" {
				idx.kinds[k] = name
				idx.files[k] = filepath.ToSlash(filepath.Join(openAPIDir, filepath.Base(file)))
			}
		}
	}
	return nil
}

// schemaFor returns the strict schema of k with the definitions it refers
// to, and its source; ok is false when the spec does not define k.
func (idx *openAPIIndex) schemaFor(k kind) (doc map[string]any, source string, ok bool, err error) {
	name, ok := idx.kinds[k]
	if !ok {
		return nil, "", false, nil
	}
	root, err := strictSchema(idx.schemas[name])
	if err != nil {
		return nil, "", true, fmt.Errorf("schemaFor %s: %w", name, err)
	}
	if err := pinTypeMeta(root, k); err != nil {
		return nil, "", true, err
	}
	if err := idx.attachDefinitions(root); err != nil {
		return nil, "", true, err
	}
	return root, idx.mod.String() + " " + idx.files[k], true, nil
}

// attachDefinitions adds to doc every component it refers to, directly or
// through another, as strict schemas under "definitions".
func (idx *openAPIIndex) attachDefinitions(doc map[string]any) error {
	defs := map[string]any{}
	pending := map[string]bool{}
	refsOf(doc, pending)
	for len(pending) > 0 {
		var name string
		for n := range pending {
			name = n
			break
		}
		delete(pending, name)
		if _, done := defs[name]; done {
			continue
		}
		s, ok := idx.schemas[name]
		if !ok {
			return fmt.Errorf("attachDefinitions: %s is referred to but not defined in %s", name, idx.mod)
		}
		conv, err := strictSchema(s)
		if err != nil {
			return fmt.Errorf("attachDefinitions %s: %w", name, err)
		}
		defs[name] = conv
		refsOf(conv, pending)
	}
	if len(defs) > 0 {
		doc["definitions"] = defs
	}
	return nil
}

// pinTypeMeta makes the schema accept only k's own apiVersion and kind, so
// a document that names another kind cannot pass under this schema.
func pinTypeMeta(doc map[string]any, k kind) error {
	props, ok := doc["properties"].(map[string]any)
	if !ok {
		return fmt.Errorf("pinTypeMeta %s: the schema has no properties", k.Kind)
	}
	props["apiVersion"] = map[string]any{"type": "string", "enum": []any{k.APIVersion}}
	props["kind"] = map[string]any{"type": "string", "enum": []any{k.Kind}}
	return nil
}
