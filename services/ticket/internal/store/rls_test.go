package store_test

import (
	"context"
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
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func keys(t testing.TB) *seal.Keyring {
	k, err := seal.ParseKeyring(seal.DevKeys, "dev")
	require.NoError(t, err)
	return k
}

// serviceJob is the caller of an internal call carrying a job of tenant.
func serviceJob(tenant string) access.Caller {
	return access.FromClaims(auth.Claims{Subject: "routing", Tenant: tenant, Roles: []string{auth.RoleService}, Kind: auth.KindService})
}

// seed writes a GBV and a water ticket of tenant, each with its created
// entry, as the tenant's citizen, and returns them.
func seed(t *testing.T, pool *pgxpool.Pool, st *store.Store, tenant string) []domain.Ticket {
	t.Helper()
	reporter := access.FromClaims(auth.Claims{Subject: "c-" + tenant, Tenant: tenant, Roles: []string{auth.RoleCitizen}})
	var out []domain.Ticket
	require.NoError(t, pg.InTx(t.Context(), pool, reporter.Scope(), func(tx pgx.Tx) error {
		for i, cat := range []domain.Category{word.CategoryGBV, word.CategoryWater} {
			in := domain.CreateInput{Tenant: tenant, Category: cat, Description: "text", Location: &domain.Point{Lat: -33.9, Lng: 18.4}, Channel: "web"}
			tk := domain.NewTicket(in, uuid.NewString(), domain.Reference(tenant, 2026, int64(i+1)), reporter.Subject(), time.Now().UTC().Truncate(time.Microsecond))
			if err := st.InsertTicket(t.Context(), tx, tk); err != nil {
				return err
			}
			h := tk.CreatedEntry()
			h.EventID = uuid.NewString()
			if err := st.InsertHistory(t.Context(), tx, tk, h); err != nil {
				return err
			}
			out = append(out, tk)
		}
		return nil
	}))
	return out
}

// TestAnInternalJobCannotReachAnotherTenantsRowsEvenWithoutItsTenantFilter
// runs the store's statements for an internal call carrying a job of CPT,
// as a handler that forgot the tenant filter would (a visibility of every
// tenant, the UPDATEs that filter by id only), against JHB's tickets:
// row-level security, set from the caller's scope, finds and changes
// nothing of JHB's. The same statements for JHB's job do reach them.
func TestAnInternalJobCannotReachAnotherTenantsRowsEvenWithoutItsTenantFilter(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "ticket_store", func(ctx context.Context, p *pgxpool.Pool) error { return store.Prepare(ctx, p, keys(t)) })
	st := store.New(keys(t))
	seed(t, pool, st, "CPT")
	jhb := seed(t, pool, st, "JHB")
	everything := domain.Visibility{AllTenants: true, GBV: true}
	run := func(c access.Caller, fn func(tx pgx.Tx) error) error {
		return pg.InTx(t.Context(), pool, c.Scope(), fn)
	}

	for _, tk := range jhb {
		t.Run("a CPT job cannot read or lock JHB's "+string(tk.Category)+" ticket", func(t *testing.T) {
			err := run(serviceJob("CPT"), func(tx pgx.Tx) error {
				_, err := st.GetTicket(t.Context(), tx, tk.ID, everything, store.ForUpdate)
				return err
			})
			require.ErrorIs(t, err, domain.ErrTicketNotFound)
			err = run(serviceJob("CPT"), func(tx pgx.Tx) error {
				_, _, err := st.LockForService(t.Context(), tx, "JHB", tk.ID)
				return err
			})
			require.ErrorIs(t, err, domain.ErrTicketNotFound)
			require.NoError(t, run(serviceJob("JHB"), func(tx pgx.Tx) error {
				_, err := st.GetTicket(t.Context(), tx, tk.ID, everything, store.ForUpdate)
				return err
			}), "the control: JHB's job reads it")
		})
	}
	t.Run("a CPT job lists only CPT's tickets", func(t *testing.T) {
		var got []domain.Ticket
		require.NoError(t, run(serviceJob("CPT"), func(tx pgx.Tx) error {
			var err error
			got, _, err = st.ListTickets(t.Context(), tx, everything, domain.Filter{Order: domain.OrderCreateTimeDesc}, nil, 100)
			return err
		}))
		require.Len(t, got, 2)
		for _, tk := range got {
			require.Equal(t, "CPT", tk.Tenant)
		}
	})
	t.Run("a CPT job cannot write JHB's rows", func(t *testing.T) {
		tk := jhb[1]
		require.Error(t, run(serviceJob("CPT"), func(tx pgx.Tx) error {
			// As a consumer that forgot the lock would: the writes by id
			// alone of a ticket it never locked.
			w := st.NewServiceWrites()
			_, err := w.SetAssignmentWithHistory(&store.Locked{Ticket: tk}, domain.Assignment{TicketID: tk.ID, AssignmentID: "forged",
				Reason: "manual_override", AssignTime: time.Now(), WardCode: "W1"}, true,
				domain.HistoryEntry{Kind: domain.HistoryAssigned, Actor: domain.ActorSystem, EventID: uuid.NewString(), CreateTime: time.Now()})
			if err != nil {
				return err
			}
			return w.Send(t.Context(), tx)
		}), "an update by id alone matches no row of another tenant")
		var assignment string
		require.NoError(t, pool.QueryRow(t.Context(), `SELECT assignment_id FROM ticket.tickets WHERE id = $1`, tk.ID).Scan(&assignment))
		require.Empty(t, assignment)
		err := run(serviceJob("CPT"), func(tx pgx.Tx) error {
			_, err := st.AppendHistory(t.Context(), tx, tk, domain.HistoryEntry{Kind: domain.HistoryAssigned, Actor: domain.ActorSystem,
				EventID: uuid.NewString(), CreateTime: time.Now()})
			return err
		})
		require.Error(t, err, "no history entry for another tenant's ticket")
		err = run(serviceJob("CPT"), func(tx pgx.Tx) error {
			return st.InsertHistory(t.Context(), tx, tk, domain.HistoryEntry{Sequence: 99, Kind: domain.HistoryAssigned,
				Actor: domain.ActorSystem, EventID: uuid.NewString(), CreateTime: time.Now()})
		})
		require.Error(t, err, "row-level security refuses a row of another tenant")
		err = run(serviceJob("CPT"), func(tx pgx.Tx) error {
			_, err := st.RecordAccess(t.Context(), tx, domain.GBVAccess{Tenant: "JHB", TicketIDs: []string{jhb[0].ID}, Subject: "s",
				Roles: []string{auth.RoleSAPSLiaison}, Action: "routing.ListAssignments", EventID: uuid.NewString(), Time: time.Now()})
			return err
		})
		require.Error(t, err, "no access-log entry for another tenant")
		var n int
		require.NoError(t, pool.QueryRow(t.Context(), `SELECT count(*) FROM ticket.history WHERE tenant = 'JHB'`).Scan(&n))
		require.Equal(t, 2, n, "JHB's history is as it was")
	})
	t.Run("a service token for every tenant reads nothing on its own", func(t *testing.T) {
		var got []domain.Ticket
		require.NoError(t, run(serviceJob(auth.AllTenants), func(tx pgx.Tx) error {
			var err error
			got, _, err = st.ListTickets(t.Context(), tx, everything, domain.Filter{Order: domain.OrderCreateTimeDesc}, nil, 100)
			return err
		}))
		require.Empty(t, got)
	})
}
