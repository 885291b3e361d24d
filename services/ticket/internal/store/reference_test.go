package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
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

// TestReferencesAreUniquePerTenantAndYearWithoutALockUntilCommit creates
// tickets the way CreateTicket does, concurrently, and checks the human
// references: unique and readable per tenant and year, each year and each
// tenant counting from 1 on its own, a rolled-back create leaving a gap,
// and the tenant wall kept by the reference function itself.
func TestReferencesAreUniquePerTenantAndYearWithoutALockUntilCommit(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "ticket_store", func(ctx context.Context, p *pgxpool.Pool) error { return store.Prepare(ctx, p, keys(t)) })
	st := store.New(keys(t))
	create := func(tenant string, at time.Time, fail error) (string, error) {
		c := access.FromClaims(auth.Claims{Subject: "c-" + tenant, Tenant: tenant, Roles: []string{auth.RoleCitizen}})
		in := domain.CreateInput{Tenant: tenant, Category: word.CategoryWater, Description: "Burst pipe",
			Location: &domain.Point{Lat: -33.9, Lng: 18.4}, Channel: "web"}
		tk := domain.NewTicket(in, uuid.NewString(), "", c.Subject(), at)
		err := pg.InTx(t.Context(), pool, c.Scope(), func(tx pgx.Tx) error {
			h := tk.CreatedEntry()
			h.EventID = uuid.NewString()
			if err := st.CreateTicket(t.Context(), tx, &tk, h, "", nil, nil); err != nil {
				return err
			}
			return fail
		})
		return tk.Reference, err
	}
	y2028 := time.Date(2028, 3, 1, 8, 0, 0, 0, time.UTC)

	t.Run("160 concurrent creates of one tenant, the first of their year, get 1 to 160", func(t *testing.T) {
		const clients, each = 16, 10
		refs := make(chan string, clients*each)
		errs := make(chan error, clients*each)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range clients {
			wg.Go(func() {
				<-start
				for range each {
					ref, err := create("CPT", y2028, nil)
					refs <- ref
					errs <- err
				}
			})
		}
		close(start)
		wg.Wait()
		close(refs)
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		seen := map[string]bool{}
		for ref := range refs {
			require.False(t, seen[ref], "reference %s handed out twice", ref)
			seen[ref] = true
		}
		for i := 1; i <= clients*each; i++ {
			require.True(t, seen[fmt.Sprintf("CPT-2028-%06d", i)], "CPT-2028-%06d missing", i)
		}
		var stored int
		require.NoError(t, pool.QueryRow(t.Context(), `SELECT count(DISTINCT reference) FROM ticket.tickets
			WHERE tenant = 'CPT' AND reference LIKE 'CPT-2028-%'`).Scan(&stored))
		require.Equal(t, clients*each, stored)
	})

	t.Run("a new year starts at 1 and another tenant counts on its own", func(t *testing.T) {
		ref, err := create("CPT", time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC), nil)
		require.NoError(t, err)
		require.Equal(t, "CPT-2029-000001", ref)
		ref, err = create("JHB", y2028, nil)
		require.NoError(t, err)
		require.Equal(t, "JHB-2028-000001", ref)
		ref, err = create("CPT", y2028, nil)
		require.NoError(t, err)
		require.Equal(t, "CPT-2028-000161", ref)
	})

	t.Run("a rolled-back create leaves a gap, not a duplicate", func(t *testing.T) {
		boom := errors.New("rolled back")
		ref, err := create("JHB", y2028, boom)
		require.ErrorIs(t, err, boom)
		require.Equal(t, "JHB-2028-000002", ref)
		ref, err = create("JHB", y2028, nil)
		require.NoError(t, err)
		require.Equal(t, "JHB-2028-000003", ref)
	})

	t.Run("a year the old counter had begun goes on after its last number", func(t *testing.T) {
		_, err := pool.Exec(t.Context(), `INSERT INTO ticket.reference_counters (tenant, year, last) VALUES ('DBN', 2028, 41)`)
		require.NoError(t, err)
		ref, err := create("DBN", y2028, nil)
		require.NoError(t, err)
		require.Equal(t, "DBN-2028-000042", ref)
	})

	t.Run("a caller of one tenant cannot draw another tenant's numbers", func(t *testing.T) {
		c := access.FromClaims(auth.Claims{Subject: "c-CPT", Tenant: "CPT", Roles: []string{auth.RoleCitizen}})
		err := pg.InTx(t.Context(), pool, c.Scope(), func(tx pgx.Tx) error {
			var ref string
			return tx.QueryRow(t.Context(), `SELECT ticket.next_reference('JHB', 2028)`).Scan(&ref)
		})
		require.Equal(t, "42501", pg.SQLState(err), "%v", err)
		for _, bad := range []string{`SELECT ticket.next_reference('cpt; drop', 2028)`, `SELECT ticket.next_reference('CPT', 0)`} {
			err := pg.InTx(t.Context(), pool, c.Scope(), func(tx pgx.Tx) error {
				var ref string
				return tx.QueryRow(t.Context(), bad).Scan(&ref)
			})
			require.Equal(t, "22023", pg.SQLState(err), "%s: %v", bad, err)
		}
		ref, err := create("JHB", y2028, nil)
		require.NoError(t, err)
		require.Equal(t, "JHB-2028-000004", ref, "the refused calls took no JHB number")
	})
}
