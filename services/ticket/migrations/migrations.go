// Package migrations embeds the goose migrations of the ticket schema.
package migrations

import "embed"

// FS holds the *.sql goose migrations, applied by libs pg.Migrate into schema
// "ticket" at start-up and by the test template.
//
//go:embed *.sql
var FS embed.FS
