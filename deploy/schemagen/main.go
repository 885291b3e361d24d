// Command schemagen writes the JSON schemas that kubeconform validates the
// deployment manifests with, so that validation needs no network.
//
// It reads rendered manifests (the output of kustomize build), collects the
// apiVersion and kind of every object, and for exactly those kinds converts
// the upstream definitions into kubeconform's layout
// (<kind>-<group>-<version>.json, the template
// {{ .ResourceKind }}{{ .KindSuffix }}.json): built-in kinds from the
// Kubernetes OpenAPI v3 spec, custom resources from their CRDs. Every object
// schema that lists its properties gets additionalProperties: false, as
// openapi2jsonschema --strict does, so a misspelt field fails validation.
// Sources are Go modules fetched with `go mod download`, so their versions
// and checksums are pinned and recorded in sources.json beside the schemas.
//
//	schemagen -out deploy/schemas \
//	  -kubernetes k8s.io/kubernetes@v1.33.0 \
//	  -crds github.com/cloudnative-pg/cloudnative-pg@v1.27.0/config/crd/bases \
//	  rendered-dev.yaml rendered-production.yaml
//
// `make deploy-schemas` runs it; nothing runs it at test time.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
}

// crdFlags collects the repeated -crds flag.
type crdFlags []string

func (c *crdFlags) String() string { return strings.Join(*c, ",") }

func (c *crdFlags) Set(v string) error {
	*c = append(*c, v)
	return nil
}

func run(args []string) error {
	fs := flag.NewFlagSet("schemagen", flag.ContinueOnError)
	out := fs.String("out", "", "folder the schemas are written to (its other *.json files are removed)")
	kube := fs.String("kubernetes", "", "module@version of k8s.io/kubernetes whose api/openapi-spec/v3 is read")
	var crds crdFlags
	fs.Var(&crds, "crds", "module@version/folder of CRD YAML files (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *kube == "" || fs.NArg() == 0 {
		return fmt.Errorf("usage: schemagen -out DIR -kubernetes MODULE@VERSION [-crds MODULE@VERSION/DIR]... RENDERED.yaml...")
	}

	kinds, err := readKinds(fs.Args())
	if err != nil {
		return err
	}
	kubeMod, err := downloadModule(*kube)
	if err != nil {
		return err
	}
	api, err := loadOpenAPI(kubeMod)
	if err != nil {
		return err
	}
	crdIdx := newCRDIndex()
	mods := []module{kubeMod}
	for _, c := range crds {
		ref, dir, err := splitModuleDir(c)
		if err != nil {
			return err
		}
		mod, err := downloadModule(ref)
		if err != nil {
			return err
		}
		if err := crdIdx.load(mod, dir); err != nil {
			return err
		}
		mods = append(mods, mod)
	}

	var schemas []generated
	for _, k := range kinds {
		g, err := generate(k, api, crdIdx)
		if err != nil {
			return err
		}
		schemas = append(schemas, g)
	}
	return write(*out, schemas, mods)
}

// generate converts the schema of one kind, from the Kubernetes spec when
// it defines the kind and from the CRDs otherwise.
func generate(k kind, api *openAPIIndex, crds *crdIndex) (generated, error) {
	if doc, source, ok, err := api.schemaFor(k); ok || err != nil {
		return generated{kind: k, doc: doc, source: source}, err
	}
	if doc, source, ok, err := crds.schemaFor(k, api); ok || err != nil {
		return generated{kind: k, doc: doc, source: source}, err
	}
	return generated{}, fmt.Errorf("no schema for %s %s in the Kubernetes spec or the CRDs given", k.APIVersion, k.Kind)
}
