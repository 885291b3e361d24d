package pg_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/salga/trustengine/libs/pg"
)

var testMigrations = fstest.MapFS{
	"00001_schema.sql": {Data: []byte(`-- +goose Up
CREATE SCHEMA IF NOT EXISTS migtest;
CREATE TABLE migtest.teams (id uuid PRIMARY KEY, name text NOT NULL);
-- +goose Down
DROP TABLE migtest.teams;
`)},
	"00002_members.sql": {Data: []byte(`-- +goose Up
CREATE TABLE migtest.members (team_id uuid REFERENCES migtest.teams, person text NOT NULL);
INSERT INTO migtest.teams VALUES (gen_random_uuid(), 'only once');
-- +goose Down
DROP TABLE migtest.members;
`)},
}

func TestMigrateCreatesSchemaAndIsIdempotent(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	require.NoError(t, pg.Migrate(ctx, db, "migtest", testMigrations))
	require.NoError(t, pg.Migrate(ctx, db, "migtest", testMigrations), "a second run is a no-op")

	var teams, versions int
	require.NoError(t, db.QueryRow(ctx, `SELECT count(*) FROM migtest.teams`).Scan(&teams))
	require.NoError(t, db.QueryRow(ctx, `SELECT max(version_id) FROM migtest.goose_db_version`).Scan(&versions))
	require.Equal(t, 1, teams)
	require.Equal(t, 2, versions)
	_, err := db.Exec(ctx, `SELECT team_id, person FROM migtest.members`)
	require.NoError(t, err)
}

func TestMigrateSerializesConcurrentMigrators(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	var g errgroup.Group
	for range 4 {
		g.Go(func() error { return pg.Migrate(ctx, db, "migtest", testMigrations) })
	}
	require.NoError(t, g.Wait())
	var teams, applied int
	require.NoError(t, db.QueryRow(ctx, `SELECT count(*) FROM migtest.teams`).Scan(&teams))
	require.NoError(t, db.QueryRow(ctx, `SELECT count(*) FROM migtest.goose_db_version WHERE version_id > 0`).Scan(&applied))
	require.Equal(t, 1, teams, "the data migration ran exactly once")
	require.Equal(t, 2, applied)
}

func TestMigrateRejectsUnsafeSchemaNames(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	err := pg.Migrate(context.Background(), db, "x; DROP DATABASE y", testMigrations)
	require.ErrorContains(t, err, "invalid schema name")
}

func TestEnsureHelpersAreIdempotentUnderConcurrency(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	var g errgroup.Group
	for range 4 {
		g.Go(func() error { return pg.EnsurePostGIS(ctx, db) })
		g.Go(func() error { return pg.EnsureAppRole(ctx, db) })
	}
	require.NoError(t, g.Wait())
}
