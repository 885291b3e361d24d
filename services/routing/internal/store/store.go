// Package store is the Postgres adapter of the routing service. Every
// function runs inside a transaction opened by the app with libs pg.InTx, so
// row-level security applies; Postgres errors are translated here into the
// domain's sentinel errors.
package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/queue"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/migrations"
)

// Schema is the Postgres schema the routing service owns; River's tables
// live in it too.
const Schema = "routing"

// Migrate applies the goose migrations of the schema and then River's own
// migrations into the same schema. The goose migrations set default
// privileges first, so River's tables are usable by the app role.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	if err := pg.Migrate(ctx, pool, Schema, migrations.FS); err != nil {
		return fmt.Errorf("store.Migrate: %w", err)
	}
	if err := queue.Migrate(ctx, pool, Schema); err != nil {
		return fmt.Errorf("store.Migrate: %w", err)
	}
	return nil
}

// Setup prepares a database at start-up: PostGIS, the app role, the
// migrations, and the sealing of GBV notes stored in plain text before
// migration 00006 (which needs the key ring SQL migrations lack).
func Setup(ctx context.Context, pool *pgxpool.Pool, keys *seal.Keyring) error {
	if err := pg.EnsurePostGIS(ctx, pool); err != nil {
		return fmt.Errorf("store.Setup: %w", err)
	}
	if err := pg.EnsureAppRole(ctx, pool); err != nil {
		return fmt.Errorf("store.Setup: %w", err)
	}
	if err := Migrate(ctx, pool); err != nil {
		return err
	}
	if err := SealLegacyNotes(ctx, pool, keys); err != nil {
		return fmt.Errorf("store.Setup: %w", err)
	}
	return nil
}

// gbvWalls are the database's checks that GBV stays with SAPS teams
// (migration 00005).
var gbvWalls = map[string]bool{
	"gbv_assignment_saps_only": true, "gbv_saps_escalation": true, "gbv_team_stays_saps": true,
}

// interpretError maps Postgres errors the app can act on to sentinel errors
// and wraps everything else with the operation that failed.
func interpretError(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("%s: %w", op, domain.ErrNotFound)
	case pg.IsUniqueViolation(err) && pg.ConstraintName(err) == "teams_tenant_name_key":
		return fmt.Errorf("%s: %w", op, domain.ErrDuplicateName)
	case pg.IsUniqueViolation(err) && pg.ConstraintName(err) == "municipalities_pkey":
		return fmt.Errorf("%s: %w", op, domain.ErrDuplicateCode)
	case pg.IsCheckViolation(err) && gbvWalls[pg.ConstraintName(err)]:
		return fmt.Errorf("%s: %w: %w", op, domain.ErrGBVOutsideSAPS, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}
