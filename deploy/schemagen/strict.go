package main

import (
	"fmt"
	"strings"
)

// keptKeywords are the schema keywords that constrain a document and are
// copied as they are. Everything else in an OpenAPI schema (descriptions,
// defaults, formats, x-kubernetes-* extensions) says nothing kubeconform
// can check and is dropped, which keeps the vendored files small; the
// sources recorded in sources.json have the descriptions.
var keptKeywords = map[string]bool{
	"type": true, "enum": true, "required": true, "pattern": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true,
	"minLength": true, "maxLength": true, "minItems": true, "maxItems": true,
	"uniqueItems": true, "minProperties": true, "maxProperties": true, "multipleOf": true,
}

// componentRef and definitionRef are where OpenAPI v3 and the generated
// schemas keep named schemas.
const (
	componentRef  = "#/components/schemas/"
	definitionRef = "#/definitions/"
)

// strictSchema converts one OpenAPI schema into a strict JSON schema:
// an object schema that lists its properties and says nothing of others
// gets additionalProperties: false (as openapi2jsonschema --strict does),
// unless it is marked x-kubernetes-preserve-unknown-fields, where the API
// server keeps unknown fields too. nullable: true becomes a "null" type,
// an embedded resource admits apiVersion, kind and metadata as the API
// server does, and references to OpenAPI components point into the
// generated file's definitions.
func strictSchema(in map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range in {
		var err error
		switch k {
		case "properties", "patternProperties":
			out[k], err = strictSchemaMap(v)
		case "additionalProperties":
			if m, ok := v.(map[string]any); ok {
				out[k], err = strictSchema(m)
			} else {
				out[k] = v
			}
		case "items":
			if list, ok := v.([]any); ok {
				out[k], err = strictSchemaList(list)
			} else {
				out[k], err = strictSub(v)
			}
		case "allOf", "anyOf", "oneOf":
			list, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("strictSchema: %s is not a list", k)
			}
			out[k], err = strictSchemaList(list)
		case "not":
			out[k], err = strictSub(v)
		case "$ref":
			ref, ok := v.(string)
			if !ok || !strings.HasPrefix(ref, componentRef) {
				return nil, fmt.Errorf("strictSchema: unsupported $ref %v", v)
			}
			out[k] = definitionRef + strings.TrimPrefix(ref, componentRef)
		default:
			if keptKeywords[k] {
				out[k] = v
			}
		}
		if err != nil {
			return nil, fmt.Errorf("strictSchema: %s: %w", k, err)
		}
	}
	if in["nullable"] == true {
		allowNull(out)
	}
	if in["x-kubernetes-embedded-resource"] == true {
		admitTypeMeta(out)
	}
	_, hasProps := out["properties"]
	_, hasAdditional := out["additionalProperties"]
	if hasProps && !hasAdditional && in["x-kubernetes-preserve-unknown-fields"] != true {
		out["additionalProperties"] = false
	}
	return out, nil
}

// strictSub converts a schema held in an untyped value.
func strictSub(v any) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("strictSub: %T is not a schema", v)
	}
	return strictSchema(m)
}

// strictSchemaMap converts a map of names to schemas (properties).
func strictSchemaMap(v any) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("strictSchemaMap: %T is not a map of schemas", v)
	}
	out := make(map[string]any, len(m))
	for name, s := range m {
		conv, err := strictSub(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = conv
	}
	return out, nil
}

// strictSchemaList converts a list of schemas (allOf, anyOf, oneOf).
func strictSchemaList(list []any) ([]any, error) {
	out := make([]any, len(list))
	for i, s := range list {
		conv, err := strictSub(s)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out[i] = conv
	}
	return out, nil
}

// allowNull lets a nullable schema's value be null.
func allowNull(s map[string]any) {
	if t, ok := s["type"].(string); ok {
		s["type"] = []any{t, "null"}
	}
	if enum, ok := s["enum"].([]any); ok {
		s["enum"] = append(enum, nil)
	}
}

// admitTypeMeta adds the fields the API server accepts on every embedded
// resource (x-kubernetes-embedded-resource) when its schema lists others.
func admitTypeMeta(s map[string]any) {
	props, ok := s["properties"].(map[string]any)
	if !ok {
		return
	}
	for name, schema := range map[string]any{
		"apiVersion": map[string]any{"type": "string"},
		"kind":       map[string]any{"type": "string"},
		"metadata":   map[string]any{"type": "object"},
	} {
		if _, ok := props[name]; !ok {
			props[name] = schema
		}
	}
}

// refsOf returns the component names a converted schema refers to.
func refsOf(v any, found map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			if ref, ok := sub.(string); ok && k == "$ref" {
				found[strings.TrimPrefix(ref, definitionRef)] = true
				continue
			}
			refsOf(sub, found)
		}
	case []any:
		for _, sub := range x {
			refsOf(sub, found)
		}
	}
}
