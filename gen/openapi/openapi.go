// Package openapi embeds the merged OpenAPI (Swagger 2.0) document that
// protoc-gen-openapiv2 generates from proto/ for the whole public API.
package openapi

import _ "embed"

// Document is the generated OpenAPI document, served by the gateway at
// /openapi.json.
//
//go:embed trustengine.swagger.json
var Document []byte
