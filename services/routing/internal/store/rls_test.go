package store_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// The second wall: even a query that forgets its tenant filter cannot see
// or write another municipality's rows, because InTx runs as the app role
// under row-level security.
func TestRowLevelSecurityIsolatesTenants(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewDB(t, "routingstore", store.Migrate)
	everyone := pg.Scope{AllTenants: true, Subject: "test"}
	var cptTeam domain.Team
	require.NoError(t, pg.InTx(ctx, pool, everyone, func(tx pgx.Tx) error {
		var err error
		cptTeam, err = store.InsertTeam(ctx, tx, domain.Team{Tenant: "CPT", Name: "Water", Category: domain.CategoryWater, Active: true})
		if err != nil {
			return err
		}
		_, err = store.InsertTeam(ctx, tx, domain.Team{Tenant: "JHB", Name: "Water", Category: domain.CategoryWater, Active: true})
		return err
	}))

	tests := []struct {
		name  string
		scope pg.Scope
		want  int
	}{
		{"a tenant sees only its own teams", pg.Scope{Tenant: "JHB"}, 1},
		{"all-tenant scope sees every team", everyone, 2},
		{"an empty scope sees nothing", pg.Scope{}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, pg.InTx(ctx, pool, tc.scope, func(tx pgx.Tx) error {
				var n int
				require.NoError(t, tx.QueryRow(ctx, `SELECT count(*) FROM routing.teams`).Scan(&n))
				require.Equal(t, tc.want, n)
				return nil
			}))
		})
	}

	err := pg.InTx(ctx, pool, pg.Scope{Tenant: "JHB"}, func(tx pgx.Tx) error {
		_, err := store.GetTeam(ctx, tx, cptTeam.ID, false)
		return err
	})
	require.ErrorIs(t, err, domain.ErrNotFound)

	err = pg.InTx(ctx, pool, pg.Scope{Tenant: "JHB"}, func(tx pgx.Tx) error {
		_, err := store.InsertTeam(ctx, tx, domain.Team{Tenant: "CPT", Name: "Sneaky", Category: domain.CategoryWater})
		return err
	})
	require.Error(t, err, "writing another tenant's row violates the policy")
}

func TestAssignmentHistoryCannotBeDeletedByTheApplication(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewDB(t, "routingstore", store.Migrate)
	for _, stmt := range []string{`DELETE FROM routing.assignments`, `TRUNCATE routing.assignments`} {
		err := pg.InTx(ctx, pool, pg.Scope{AllTenants: true, Subject: "test"}, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, stmt)
			return err
		})
		require.ErrorContains(t, err, "permission denied", stmt)
	}
}

// The spatial search functions run as the schema owner so they can use the
// GIST index; they must keep the tenant wall themselves.
func TestSpatialSearchesKeepTheTenantWall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewDB(t, "routingstore", store.Migrate)
	everyone := pg.Scope{AllTenants: true, Subject: "test"}
	area := `{"type":"MultiPolygon","coordinates":[[[[18.4,-34.0],[18.6,-34.0],[18.6,-33.8],[18.4,-33.8],[18.4,-34.0]]]]}`
	require.NoError(t, pg.InTx(ctx, pool, everyone, func(tx pgx.Tx) error {
		_, err := store.InsertTeam(ctx, tx, domain.Team{Tenant: "CPT", Name: "Water", Category: domain.CategoryWater, Active: true, ServiceArea: area})
		return err
	}))
	inside := store.RouteQuery{Tenant: "CPT", Category: domain.CategoryWater, Lat: -33.9, Lng: 18.5}
	outside := store.RouteQuery{Tenant: "CPT", Category: domain.CategoryWater, Lat: -33.5, Lng: 18.5}
	// count runs the search in a transaction and in a one-round-trip read:
	// the covering rule for a point inside the area, the nearest rule for
	// one outside it.
	count := func(scope pg.Scope) (covering, nearest int) {
		var inTx, read [2]store.Candidates
		require.NoError(t, pg.InTx(ctx, pool, scope, func(tx pgx.Tx) error {
			var err error
			if inTx[0], err = store.FindCandidates(ctx, tx, inside); err != nil {
				return err
			}
			inTx[1], err = store.FindCandidates(ctx, tx, outside)
			return err
		}))
		require.NoError(t, pg.Read(ctx, pool, scope, func(b *pgx.Batch) {
			store.QueueCandidates(b, inside, &read[0])
			store.QueueCandidates(b, outside, &read[1])
		}))
		require.Equal(t, inTx, read, "a transaction and a read find the same")
		if len(inTx[0].Teams) > 0 {
			require.Equal(t, domain.ReasonGeospatial, inTx[0].Reason)
		}
		if len(inTx[1].Teams) > 0 {
			require.Equal(t, domain.ReasonFallbackNearest, inTx[1].Reason)
			require.Positive(t, inTx[1].Teams[0].DistanceMeters)
		}
		return len(inTx[0].Teams), len(inTx[1].Teams)
	}
	c, n := count(pg.Scope{Tenant: "CPT"})
	require.Equal(t, []int{1, 1}, []int{c, n}, "the tenant finds its own team")
	c, n = count(everyone)
	require.Equal(t, []int{1, 1}, []int{c, n}, "an all-tenant scope finds it")
	c, n = count(pg.Scope{Tenant: "JHB"})
	require.Equal(t, []int{0, 0}, []int{c, n}, "another tenant asking for CPT's teams finds none")
}
