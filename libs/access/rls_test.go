package access_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// setupRLS builds a table under the policies every service writes: the
// tenant wall, and on GBV rows the GBV wall (saps_liaison and service only).
func setupRLS(ctx context.Context, pool *pgxpool.Pool) error {
	if err := pg.EnsureAppRole(ctx, pool); err != nil {
		return err
	}
	_, err := pool.Exec(ctx, `
CREATE SCHEMA rls;
CREATE TABLE rls.tickets (id text PRIMARY KEY, tenant text NOT NULL, gbv boolean NOT NULL);
ALTER TABLE rls.tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls.tickets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON rls.tickets
  USING ((tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
         AND (NOT gbv OR string_to_array(current_setting('app.roles', true), ',') && ARRAY['saps_liaison','service']))
  WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');
GRANT USAGE ON SCHEMA rls TO trustengine_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON rls.tickets TO trustengine_app;
INSERT INTO rls.tickets VALUES ('cpt-water', 'CPT', false), ('cpt-gbv', 'CPT', true), ('jhb-water', 'JHB', false), ('jhb-gbv', 'JHB', true);
`)
	return err
}

// seen lists the ids a statement without any filter returns under c's scope.
func seen(t *testing.T, db *pgxpool.Pool, scope pg.Scope) []string {
	t.Helper()
	var ids []string
	require.NoError(t, pg.InTx(context.Background(), db, scope, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT id FROM rls.tickets ORDER BY id`)
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	}))
	return ids
}

func TestAStatementWithoutItsTenantFilterSeesOnlyWhatTheCallerMay(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t, "access", setupRLS)
	tests := []struct {
		name   string
		caller access.Caller
		want   []string
	}{
		{"an internal call for CPT's job sees only CPT, GBV included", service("CPT"), []string{"cpt-gbv", "cpt-water"}},
		{"an internal call for JHB's job sees only JHB", service("JHB"), []string{"jhb-gbv", "jhb-water"}},
		{"a service token for all municipalities sees nothing on its own", service("*"), []string{}},
		{"the gateway sees its jurisdiction without GBV", gateway("CPT"), []string{"cpt-water"}},
		{"CPT's liaison sees CPT with GBV", user("CPT", auth.RoleSAPSLiaison), []string{"cpt-gbv", "cpt-water"}},
		{"CPT's agent sees CPT without GBV", user("CPT", auth.RoleAgent), []string{"cpt-water"}},
		{"a platform admin sees every municipality without GBV", user("*", auth.RolePlatformAdmin), []string{"cpt-water", "jhb-water"}},
		{"a platform admin who is also a liaison sees no GBV", user("*", auth.RolePlatformAdmin, auth.RoleSAPSLiaison), []string{"cpt-water", "jhb-water"}},
		{"the system's own work sees everything", access.System("sla-sweep"), []string{"cpt-gbv", "cpt-water", "jhb-gbv", "jhb-water"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := seen(t, db, tt.caller.Scope())
			if got == nil {
				got = []string{}
			}
			require.Equal(t, tt.want, got)
		})
	}
}

func TestAnInternalCallCannotWriteAnotherTenantsRows(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t, "access", setupRLS)
	scope := service("CPT").Scope()
	var updated int64
	require.NoError(t, pg.InTx(context.Background(), db, scope, func(tx pgx.Tx) error {
		tag, err := tx.Exec(context.Background(), `UPDATE rls.tickets SET gbv = gbv`)
		updated = tag.RowsAffected()
		return err
	}))
	require.EqualValues(t, 2, updated, "an update without a filter touches only the job's tenant")
	err := pg.InTx(context.Background(), db, scope, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `INSERT INTO rls.tickets VALUES ('jhb-forged', 'JHB', false)`)
		return err
	})
	require.Error(t, err, "a row of another tenant cannot be written")
}
