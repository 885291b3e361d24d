package pg_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// setupRLS builds the template for this package: a tenant table protected by the
// policy shape the package doc prescribes.
func setupRLS(ctx context.Context, pool *pgxpool.Pool) error {
	_, err := pool.Exec(ctx, `
CREATE SCHEMA rlstest;
CREATE TABLE rlstest.items (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant text NOT NULL,
  name text NOT NULL CONSTRAINT items_name_not_blank CHECK (name <> ''),
  CONSTRAINT items_tenant_name_key UNIQUE (tenant, name)
);
ALTER TABLE rlstest.items ENABLE ROW LEVEL SECURITY;
ALTER TABLE rlstest.items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON rlstest.items
  USING (current_setting('app.all_tenants', true) = 'on' OR tenant = current_setting('app.tenant', true))
  WITH CHECK (current_setting('app.all_tenants', true) = 'on' OR tenant = current_setting('app.tenant', true));
GRANT USAGE ON SCHEMA rlstest TO trustengine_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON rlstest.items TO trustengine_app;
INSERT INTO rlstest.items (tenant, name) VALUES ('CPT', 'pipe'), ('CPT', 'pothole'), ('JHB', 'outage');
`)
	return err
}

func newDB(t *testing.T) *pgxpool.Pool {
	t.Helper()
	return pgtest.NewDB(t, "pg", setupRLS)
}
