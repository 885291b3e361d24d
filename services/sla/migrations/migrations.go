// Package migrations embeds the goose migrations of schema sla.
package migrations

import "embed"

// FS holds the *.sql migrations, applied in order by libs pg.Migrate.
//
//go:embed *.sql
var FS embed.FS
