package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"sigs.k8s.io/yaml"
)

// objectMeta is the Kubernetes component every object's metadata follows.
const objectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"

// crdIndex holds the schemas of custom resources, by kind.
type crdIndex struct {
	versions map[kind]crdVersion
}

// crdVersion is one served version of a CRD.
type crdVersion struct {
	schema map[string]any
	source string
}

// customResourceDefinition is the part of a CRD that schemagen reads.
type customResourceDefinition struct {
	Kind string `json:"kind"`
	Spec struct {
		Group string `json:"group"`
		Names struct {
			Kind string `json:"kind"`
		} `json:"names"`
		Versions []struct {
			Name   string `json:"name"`
			Schema struct {
				OpenAPIV3Schema map[string]any `json:"openAPIV3Schema"`
			} `json:"schema"`
		} `json:"versions"`
	} `json:"spec"`
}

func newCRDIndex() *crdIndex { return &crdIndex{versions: map[kind]crdVersion{}} }

// load indexes every CRD in the YAML files of dir inside mod.
func (c *crdIndex) load(mod module, dir string) error {
	files, err := filepath.Glob(filepath.Join(mod.Dir, dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("crdIndex.load: no CRDs in %s/%s (%v)", mod, dir, err)
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("crdIndex.load: %w", err)
		}
		var crd customResourceDefinition
		if err := yaml.Unmarshal(data, &crd); err != nil {
			return fmt.Errorf("crdIndex.load: %s: %w", f, err)
		}
		if crd.Kind != "CustomResourceDefinition" {
			continue
		}
		for _, v := range crd.Spec.Versions {
			if v.Schema.OpenAPIV3Schema == nil {
				continue
			}
			k := kind{APIVersion: crd.Spec.Group + "/" + v.Name, Kind: crd.Spec.Names.Kind}
			c.versions[k] = crdVersion{schema: v.Schema.OpenAPIV3Schema,
				source: mod.String() + " " + filepath.ToSlash(filepath.Join(dir, filepath.Base(f)))}
		}
	}
	return nil
}

// schemaFor returns the strict schema of custom resource k, its metadata
// checked against the Kubernetes ObjectMeta from api (a CRD's own schema
// says only that metadata is an object), and its source; ok is false when
// no CRD defines k.
func (c *crdIndex) schemaFor(k kind, api *openAPIIndex) (doc map[string]any, source string, ok bool, err error) {
	v, ok := c.versions[k]
	if !ok {
		return nil, "", false, nil
	}
	doc, err = strictSchema(v.schema)
	if err != nil {
		return nil, "", true, fmt.Errorf("schemaFor %s %s: %w", k.APIVersion, k.Kind, err)
	}
	if err := pinTypeMeta(doc, k); err != nil {
		return nil, "", true, err
	}
	doc["properties"].(map[string]any)["metadata"] = map[string]any{"$ref": definitionRef + objectMeta}
	if err := api.attachDefinitions(doc); err != nil {
		return nil, "", true, err
	}
	return doc, v.source + " (metadata: " + api.mod.String() + ")", true, nil
}
