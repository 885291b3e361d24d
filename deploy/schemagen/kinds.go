package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// kind is one apiVersion and kind that the manifests use.
type kind struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
}

// group is the API group of the kind ("" for the core group).
func (k kind) group() string {
	if g, _, ok := strings.Cut(k.APIVersion, "/"); ok {
		return g
	}
	return ""
}

// version is the API version of the kind without its group.
func (k kind) version() string {
	_, v, ok := strings.Cut(k.APIVersion, "/")
	if !ok {
		return k.APIVersion
	}
	return v
}

// fileName is where kubeconform looks for the kind's schema under the
// template {{ .ResourceKind }}{{ .KindSuffix }}.json: the lower-case kind,
// then the first label of the group (if any) and the version, as in
// deployment-apps-v1.json, service-v1.json, cluster-postgresql-v1.json.
func (k kind) fileName() string {
	suffix := ""
	if g := k.group(); g != "" {
		suffix = "-" + strings.ToLower(strings.Split(g, ".")[0])
	}
	return strings.ToLower(k.Kind) + suffix + "-" + strings.ToLower(k.version()) + ".json"
}

// docSeparator splits a YAML stream into documents as kustomize writes it.
var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// readKinds returns the distinct kinds of the objects in the rendered
// manifests, sorted. An object without apiVersion or kind is an error: it
// could not be validated either.
func readKinds(files []string) ([]kind, error) {
	seen := map[kind]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("readKinds: %w", err)
		}
		for i, doc := range docSeparator.Split(string(data), -1) {
			if len(bytes.TrimSpace([]byte(doc))) == 0 {
				continue
			}
			var k kind
			if err := yaml.Unmarshal([]byte(doc), &k); err != nil {
				return nil, fmt.Errorf("readKinds: %s document %d: %w", f, i+1, err)
			}
			if k.APIVersion == "" || k.Kind == "" {
				return nil, fmt.Errorf("readKinds: %s document %d: no apiVersion or kind", f, i+1)
			}
			seen[k] = true
		}
	}
	kinds := make([]kind, 0, len(seen))
	for k := range seen {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return kinds[i].fileName() < kinds[j].fileName() })
	return kinds, nil
}
