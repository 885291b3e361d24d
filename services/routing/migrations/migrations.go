// Package migrations embeds the goose SQL migrations of the routing schema.
package migrations

import "embed"

// FS holds the migration files at its root, ready for libs pg.Migrate.
//
//go:embed *.sql
var FS embed.FS
