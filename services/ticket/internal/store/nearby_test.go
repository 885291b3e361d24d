package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// TestTheNearbySearchKeepsTheTenantAndGBVWallsItself asks
// ticket.nearby_tickets, which runs past row-level security for its index,
// for another tenant's tickets and for GBV tickets, as a caller who may
// see them would if the function forgot its checks: it returns nothing of
// another tenant, whoever asks, and never a GBV ticket, even to the SAPS
// liaison. The control: the tenant's own water ticket comes back.
func TestTheNearbySearchKeepsTheTenantAndGBVWallsItself(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "ticket_store", func(ctx context.Context, p *pgxpool.Pool) error { return store.Prepare(ctx, p, keys(t)) })
	st := store.New(keys(t))
	cpt := seed(t, pool, st, "CPT")
	seed(t, pool, st, "JHB")
	near := func(c access.Caller, tenant string, cat domain.Category) []domain.NearbyTicket {
		search := store.NearbySearch{Query: domain.NearbyQuery{Tenant: tenant, Location: &domain.Point{Lat: -33.9, Lng: 18.4},
			Category: cat, Size: 50, Meters: 1000}, Audience: domain.NearbyAudienceOf(c), ResolvedSince: time.Now().Add(-domain.RecentlyResolved)}
		// In a write's transaction, in a batch of its own (as a create
		// sends it beside the ticket).
		var r store.NearbyResult
		require.NoError(t, pg.InTx(t.Context(), pool, c.Scope(), func(tx pgx.Tx) error {
			b := &pgx.Batch{}
			st.QueueNearbyTickets(b, search, &r)
			return tx.SendBatch(t.Context(), b).Close()
		}))
		// The same search in one round trip (pg.Read) finds the same.
		var read store.NearbyResult
		require.NoError(t, pg.Read(t.Context(), pool, c.Scope(), func(b *pgx.Batch) { st.QueueNearbyTickets(b, search, &read) }))
		require.Equal(t, r, read)
		require.Equal(t, 1000.0, r.Meters)
		return r.Tickets
	}
	liaison := access.FromClaims(auth.Claims{Subject: "saps-CPT", Tenant: "CPT", Roles: []string{auth.RoleSAPSLiaison}})
	got := near(liaison, "CPT", word.CategoryWater)
	require.Len(t, got, 1, "the control")
	require.Equal(t, cpt[1].ID, got[0].ID)
	require.Empty(t, near(liaison, "JHB", word.CategoryWater), "another tenant's, asked by name")
	require.Empty(t, near(serviceJob("CPT"), "JHB", word.CategoryWater), "another tenant's, for a service job of CPT")
	require.Empty(t, near(serviceJob(auth.AllTenants), "JHB", word.CategoryWater), "a service token for every tenant")
	require.Empty(t, near(liaison, "CPT", word.CategoryGBV), "GBV, even for the liaison")
	admin := access.FromClaims(auth.Claims{Subject: "root", Tenant: auth.AllTenants, Roles: []string{auth.RolePlatformAdmin}})
	require.Len(t, near(admin, "JHB", word.CategoryWater), 1, "a platform admin reads any tenant's")
	require.Empty(t, near(admin, "JHB", word.CategoryGBV))
}
