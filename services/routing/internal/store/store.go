// Package store is the Postgres edge of the routing service: the SQL of
// schema "routing", run inside the transactions package app opens (pg.InTx
// under the caller's scope, so row-level security is the second wall behind
// every query's own filters), with the notes of GBV assignments sealed and
// opened here.
//
// Errors are interpreted at this edge, one way: a Postgres outcome that
// means something to the service (no row, a taken name, a GBV wall) leaves
// as one of the domain's errors (domain/errors.go); anything else leaves
// wrapped with the statement that failed. Nothing above the store sees
// pgx.ErrNoRows or a SQLSTATE.
package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/migrations"
)

// Store reads and writes the routing schema, sealing the notes of GBV
// assignments with its key ring.
type Store struct {
	keys *seal.Keyring
}

// New returns a Store that seals GBV notes with keys.
func New(keys *seal.Keyring) *Store { return &Store{keys: keys} }

// Prepare readies the database for the routing service at start-up (and
// the tests' template): PostGIS, the application role, the migrations of
// schema "routing", then SealLegacyNotes, which needs keys.
func Prepare(ctx context.Context, pool *pgxpool.Pool, keys *seal.Keyring) error {
	if err := pg.Prepare(ctx, pool, "routing", migrations.FS); err != nil {
		return fmt.Errorf("store.Prepare: %w", err)
	}
	return New(keys).SealLegacyNotes(ctx, pool)
}

// gbvWalls are the database's checks that GBV stays with SAPS teams
// (migration 00005).
var gbvWalls = map[string]bool{
	"gbv_assignment_saps_only": true, "gbv_saps_escalation": true, "gbv_team_stays_saps": true,
}

// interpretError turns a Postgres outcome the service acts on into the
// domain's error (notFound for no row), and wraps anything else with the
// operation that failed.
func interpretError(op string, err error, notFound error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pgx.ErrNoRows) && notFound != nil:
		return fmt.Errorf("%s: %w", op, notFound)
	case pg.IsUniqueViolation(err) && pg.ConstraintName(err) == "teams_tenant_name_key":
		return fmt.Errorf("%s: %w", op, domain.ErrTeamNameTaken)
	case pg.IsUniqueViolation(err) && pg.ConstraintName(err) == "municipalities_pkey":
		return fmt.Errorf("%s: %w", op, domain.ErrMunicipalityExists)
	case pg.IsUniqueViolation(err) && (pg.ConstraintName(err) == "boundary_sets_version_key" ||
		pg.ConstraintName(err) == "boundary_sets_effective_key"):
		return fmt.Errorf("%s: %w", op, domain.ErrBoundaryVersionRaced)
	case pg.IsCheckViolation(err) && gbvWalls[pg.ConstraintName(err)]:
		// The cause is kept for the log; the caller gets the domain error.
		return fmt.Errorf("%s: %w (%w)", op, domain.ErrGBVOutsideSAPS, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// AnalyzeTeams refreshes the planner's statistics of the teams table after
// a bulk import, so routing picks the spatial index at once rather than
// after autovacuum's next pass. It runs as the connecting role (the
// table's owner), outside any transaction of the application role.
func (s *Store) AnalyzeTeams(ctx context.Context, pool *pgxpool.Pool) error {
	if _, err := pool.Exec(ctx, `ANALYZE routing.teams`); err != nil {
		return fmt.Errorf("store.AnalyzeTeams: %w", err)
	}
	return nil
}
