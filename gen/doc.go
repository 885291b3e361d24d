// Package gen holds the Go code and OpenAPI document generated from proto/ by
// `make gen`. Nothing here is edited by hand.
package gen
