package store_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// prepare readies a test database as the binary does (River's tables aside).
func prepare(ctx context.Context, pool *pgxpool.Pool) error {
	keys, err := seal.ParseKeyring(seal.DevKeys, "dev")
	if err != nil {
		return err
	}
	return store.Prepare(ctx, pool, keys)
}

// The second wall: even a query that forgets its tenant filter cannot see
// or write another municipality's rows, because InTx runs as the app role
// under row-level security.
func TestRowLevelSecurityIsolatesTenants(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewDB(t, "routingstore", prepare)
	st := store.New(devKeys(t))
	everyone := pg.Scope{AllTenants: true, Subject: "test"}
	var cptTeam domain.Team
	require.NoError(t, pg.InTx(ctx, pool, everyone, func(tx pgx.Tx) error {
		var err error
		cptTeam, err = st.InsertTeam(ctx, tx, domain.Team{Tenant: "CPT", Name: "Water", Category: word.CategoryWater, Active: true})
		if err != nil {
			return err
		}
		_, err = st.InsertTeam(ctx, tx, domain.Team{Tenant: "JHB", Name: "Water", Category: word.CategoryWater, Active: true})
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
		_, err := st.GetTeam(ctx, tx, cptTeam.ID, false)
		return err
	})
	require.ErrorIs(t, err, domain.ErrTeamNotFound)

	err = pg.InTx(ctx, pool, pg.Scope{Tenant: "JHB"}, func(tx pgx.Tx) error {
		_, err := st.InsertTeam(ctx, tx, domain.Team{Tenant: "CPT", Name: "Sneaky", Category: word.CategoryWater})
		return err
	})
	require.Error(t, err, "writing another tenant's row violates the policy")
}

func TestAssignmentHistoryCannotBeDeletedByTheApplication(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewDB(t, "routingstore", prepare)
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
	pool := pgtest.NewDB(t, "routingstore", prepare)
	st := store.New(devKeys(t))
	everyone := pg.Scope{AllTenants: true, Subject: "test"}
	area := `{"type":"MultiPolygon","coordinates":[[[[18.4,-34.0],[18.6,-34.0],[18.6,-33.8],[18.4,-33.8],[18.4,-34.0]]]]}`
	require.NoError(t, pg.InTx(ctx, pool, everyone, func(tx pgx.Tx) error {
		_, err := st.InsertTeam(ctx, tx, domain.Team{Tenant: "CPT", Name: "Water", Category: word.CategoryWater, Active: true, ServiceArea: area})
		return err
	}))
	inside := domain.RouteQuery{Tenant: "CPT", Category: word.CategoryWater, Lat: -33.9, Lng: 18.5}
	outside := domain.RouteQuery{Tenant: "CPT", Category: word.CategoryWater, Lat: -33.5, Lng: 18.5}
	// count runs the search in a transaction: the covering rule for a point
	// inside the area, the nearest rule for one outside it.
	count := func(scope pg.Scope) (covering, nearest int) {
		var inTx [2]domain.Candidates
		require.NoError(t, pg.InTx(ctx, pool, scope, func(tx pgx.Tx) error {
			b := &pgx.Batch{}
			st.QueueCandidates(b, inside, &inTx[0])
			st.QueueCandidates(b, outside, &inTx[1])
			return tx.SendBatch(ctx, b).Close()
		}))
		if len(inTx[0].Teams) > 0 {
			require.Equal(t, domain.Reason(word.ReasonGeospatial), inTx[0].Reason)
		}
		if len(inTx[1].Teams) > 0 {
			require.Equal(t, domain.Reason(word.ReasonFallbackNearest), inTx[1].Reason)
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
