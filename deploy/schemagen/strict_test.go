package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStrictSchema(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   map[string]any
		want map[string]any
	}{
		{
			name: "an object that lists its properties refuses any other",
			in:   map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"type": "string"}}},
			want: map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"type": "string"}}, "additionalProperties": false},
		},
		{
			name: "a map keeps the schema of its values",
			in:   map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string", "default": ""}},
			want: map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}},
		},
		{
			name: "an object that keeps unknown fields stays open",
			in: map[string]any{"type": "object", "x-kubernetes-preserve-unknown-fields": true,
				"properties": map[string]any{"a": map[string]any{"type": "string"}}},
			want: map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"type": "string"}}},
		},
		{
			name: "descriptions, defaults, formats and extensions are dropped",
			in: map[string]any{"type": "integer", "format": "int32", "description": "d", "default": 1.0,
				"x-kubernetes-list-type": "atomic", "minimum": 0.0},
			want: map[string]any{"type": "integer", "minimum": 0.0},
		},
		{
			name: "a nullable value may be null",
			in:   map[string]any{"type": "string", "nullable": true, "enum": []any{"a"}},
			want: map[string]any{"type": []any{"string", "null"}, "enum": []any{"a", nil}},
		},
		{
			name: "references point into the file's definitions, inside allOf and items too",
			in: map[string]any{"type": "array", "items": map[string]any{"allOf": []any{
				map[string]any{"$ref": "#/components/schemas/io.k8s.X"}}}},
			want: map[string]any{"type": "array", "items": map[string]any{"allOf": []any{
				map[string]any{"$ref": "#/definitions/io.k8s.X"}}}},
		},
		{
			name: "an embedded resource admits apiVersion, kind and metadata",
			in: map[string]any{"type": "object", "x-kubernetes-embedded-resource": true,
				"properties": map[string]any{"spec": map[string]any{"type": "object"}}},
			want: map[string]any{"type": "object", "additionalProperties": false, "properties": map[string]any{
				"spec": map[string]any{"type": "object"}, "apiVersion": map[string]any{"type": "string"},
				"kind": map[string]any{"type": "string"}, "metadata": map[string]any{"type": "object"}}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := strictSchema(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestStrictSchemaRefusesMalformedInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   map[string]any
	}{
		{"properties that are not a map", map[string]any{"properties": []any{"a"}}},
		{"a property that is not a schema", map[string]any{"properties": map[string]any{"a": "string"}}},
		{"allOf that is not a list", map[string]any{"allOf": map[string]any{}}},
		{"a reference outside the OpenAPI components", map[string]any{"$ref": "https://example.org/s.json"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := strictSchema(tc.in)
			require.Error(t, err)
		})
	}
}
