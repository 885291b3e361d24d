package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// testSources indexes the small spec and CRD in testdata as if they were
// downloaded modules.
func testSources(t *testing.T) (*openAPIIndex, *crdIndex) {
	t.Helper()
	api, err := loadOpenAPI(module{Path: "example.io/kube", Version: "v0.0.1", Dir: "testdata/kube"})
	require.NoError(t, err)
	crds := newCRDIndex()
	require.NoError(t, crds.load(module{Path: "example.io/crds", Version: "v0.0.2", Dir: "testdata"}, "crds"))
	return api, crds
}

// compile writes doc as write does and compiles it as kubeconform does
// (Draft 4 unless the schema names another).
func compile(t *testing.T, doc map[string]any) *jsonschema.Schema {
	t.Helper()
	path := filepath.Join(t.TempDir(), "schema.json")
	require.NoError(t, writeJSON(path, doc))
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	parsed, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	require.NoError(t, c.AddResource("file:///schema.json", parsed))
	s, err := c.Compile("file:///schema.json")
	require.NoError(t, err)
	return s
}

// validate checks one YAML document against s.
func validate(t *testing.T, s *jsonschema.Schema, doc string) error {
	t.Helper()
	j, err := yaml.YAMLToJSON([]byte(doc))
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	require.NoError(t, err)
	return s.Validate(inst)
}

func TestGeneratedSchemaOfABuiltInKind(t *testing.T) {
	t.Parallel()
	api, crds := testSources(t)
	g, err := generate(kind{"example.io/v1", "Widget"}, api, crds)
	require.NoError(t, err)
	require.Equal(t, "example.io/kube@v0.0.1 api/openapi-spec/v3/apis__example.io__v1_openapi.json", g.source)

	defs, ok := g.doc["definitions"].(map[string]any)
	require.True(t, ok)
	require.Contains(t, defs, "io.k8s.api.example.v1.WidgetSpec")
	require.Contains(t, defs, "io.k8s.apimachinery.pkg.util.intstr.IntOrString", "reached through WidgetSpec")
	require.NotContains(t, defs, "io.k8s.api.example.v1.Unused", "only what the kind refers to")

	s := compile(t, g.doc)
	head := "apiVersion: example.io/v1\nkind: Widget\nmetadata: {name: w, labels: {a: b}}\n"
	cases := []struct {
		name  string
		doc   string
		valid bool
	}{
		{"a complete widget passes", head + "spec: {size: 3, port: http, selector: {any: key}}", true},
		{"a port may be a number", head + "spec: {size: 3, port: 8080}", true},
		{"a misspelt spec field fails", head + "spec: {size: 3, sise: 4}", false},
		{"a misspelt metadata field fails", "apiVersion: example.io/v1\nkind: Widget\nmetadata: {name: w, lables: {a: b}}\nspec: {size: 1}", false},
		{"a field at the top that the kind lacks fails", head + "spec: {size: 1}\nspecs: {}", false},
		{"a missing required field fails", head + "spec: {port: 1}", false},
		{"a wrong type fails", head + "spec: {size: three}", false},
		{"another kind fails", "apiVersion: example.io/v1\nkind: Gadget\nspec: {size: 1}", false},
		{"another version fails", "apiVersion: example.io/v2\nkind: Widget\nspec: {size: 1}", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := validate(t, s, tc.doc)
			if tc.valid {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
		})
	}
}

func TestGeneratedSchemaOfACustomResource(t *testing.T) {
	t.Parallel()
	api, crds := testSources(t)
	g, err := generate(kind{"example.io/v1", "Gadget"}, api, crds)
	require.NoError(t, err)
	require.Equal(t, "example.io/crds@v0.0.2 crds/example.io_gadgets.yaml (metadata: example.io/kube@v0.0.1)", g.source)

	s := compile(t, g.doc)
	head := "apiVersion: example.io/v1\nkind: Gadget\nmetadata: {name: g}\n"
	cases := []struct {
		name  string
		doc   string
		valid bool
	}{
		{"a complete gadget passes", head + "spec: {replicas: 2, note: hi}", true},
		{"a nullable field may be null", head + "spec: {replicas: 2, note: null}", true},
		{"a field that keeps unknown fields takes any", head + "spec: {replicas: 2, template: {a: x, anything: [1]}}", true},
		{"an embedded resource takes apiVersion, kind and metadata", head +
			"spec: {replicas: 2, embedded: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {}}}", true},
		{"a misspelt spec field fails", head + "spec: {replicas: 2, replica: 3}", false},
		{"metadata is checked as Kubernetes metadata", "apiVersion: example.io/v1\nkind: Gadget\nmetadata: {nmae: g}\nspec: {replicas: 1}", false},
		{"a CRD's own constraints hold", head + "spec: {replicas: 0}", false},
		{"a field the embedded resource lacks fails", head + "spec: {replicas: 2, embedded: {spek: {}}}", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := validate(t, s, tc.doc)
			if tc.valid {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
		})
	}
}

func TestGenerateNamesAKindWithoutSchema(t *testing.T) {
	t.Parallel()
	api, crds := testSources(t)
	_, err := generate(kind{"example.io/v1", "Gizmo"}, api, crds)
	require.ErrorContains(t, err, "example.io/v1 Gizmo")
}

func TestWriteReplacesOldSchemasAndRecordsSources(t *testing.T) {
	t.Parallel()
	api, crds := testSources(t)
	dir := t.TempDir()
	stale := filepath.Join(dir, "old-v1.json")
	require.NoError(t, os.WriteFile(stale, []byte("{}"), 0o644))
	g, err := generate(kind{"example.io/v1", "Gadget"}, api, crds)
	require.NoError(t, err)

	mods := []module{{Path: "example.io/crds", Version: "v0.0.2", Sum: "h1:x"}}
	require.NoError(t, write(dir, []generated{g}, mods))
	require.NoFileExists(t, stale, "a kind the manifests no longer use loses its schema")
	first, err := os.ReadFile(filepath.Join(dir, "gadget-example-v1.json"))
	require.NoError(t, err)
	require.NoError(t, write(dir, []generated{g}, mods))
	second, err := os.ReadFile(filepath.Join(dir, "gadget-example-v1.json"))
	require.NoError(t, err)
	require.Equal(t, first, second, "the same sources give the same bytes")

	var rec sources
	data, err := os.ReadFile(filepath.Join(dir, sourcesFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &rec))
	require.Equal(t, []sourceModule{{Module: "example.io/crds", Version: "v0.0.2", Sum: "h1:x"}}, rec.Modules)
	require.Len(t, rec.Schemas, 1)
	require.True(t, strings.HasPrefix(rec.Schemas[0].Source, "example.io/crds@v0.0.2 "))
}
