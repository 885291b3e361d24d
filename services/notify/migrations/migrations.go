// Package migrations embeds the goose migrations of the notify schema.
package migrations

import "embed"

// FS holds the *.sql goose migrations, applied by libs pg.Prepare into
// schema "notify" at start-up and by the test templates.
//
//go:embed *.sql
var FS embed.FS
