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
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/domain/calendar"
	"github.com/salga/trustengine/services/sla/internal/store"
	"github.com/salga/trustengine/services/sla/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// serviceJob is the caller of an internal call carrying a job of tenant.
func serviceJob(tenant string) access.Caller {
	return access.FromClaims(auth.Claims{Subject: "ticket", Tenant: tenant, Roles: []string{auth.RoleService}, Kind: auth.KindService})
}

// start is when the seeded clocks started: long enough ago that the GBV
// response clock (1 h) is due.
var start = time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Microsecond)

// seed starts the clocks of a GBV ticket and a water ticket of tenant, as
// tenant's job, pauses the water ticket's resolution clock (a closed
// segment) and records a warning of the GBV response clock (a feed event),
// and returns the ticket ids.
func seed(t *testing.T, pool *pgxpool.Pool, tenant string) []string {
	t.Helper()
	var ids []string
	require.NoError(t, pg.InTx(t.Context(), pool, serviceJob(tenant).Scope(), func(tx pgx.Tx) error {
		for _, cat := range []string{word.CategoryGBV, "water"} {
			ev := domain.TicketEvent{EventID: uuid.NewString(), Tenant: tenant, TicketID: uuid.NewString(), Category: cat,
				Kind: domain.EventCreated, To: word.StatusOpen, At: start, Sequence: 1}
			if _, err := store.MarkEventProcessed(t.Context(), tx, ev); err != nil {
				return err
			}
			if _, err := store.InsertTicket(t.Context(), tx, domain.TicketState{TicketID: ev.TicketID, Tenant: tenant, Category: cat,
				Status: word.StatusOpen, LastSequence: 1}); err != nil {
				return err
			}
			clocks := domain.StartClocks(ev, domain.ChoosePolicy(tenant, cat, "", nil), domain.Calendars{})
			if cat == word.CategoryGBV {
				warning := domain.ClockEvent{Tenant: tenant, TicketID: ev.TicketID, ClockKind: domain.ClockResponse, Cycle: 1,
					Kind: domain.EventWarning, Level: 1, CreateTime: time.Now()}
				if _, err := store.InsertClockEvent(t.Context(), tx, &warning); err != nil {
					return err
				}
			} else {
				clocks[1].Pause(start.Add(time.Hour), calendar.AlwaysOpen())
			}
			for _, c := range clocks {
				if err := store.SaveClock(t.Context(), tx, c); err != nil {
					return err
				}
			}
			ids = append(ids, ev.TicketID)
		}
		return nil
	}))
	return ids
}

// TestAnInternalJobCannotReachAnotherTenantsRowsEvenWithoutItsTenantFilter
// runs the store's statements for an internal call carrying a job of CPT
// against JHB's tickets, as a use case that forgot its tenant filter would
// (the statements by ticket id have none; the feed and the due clocks are
// asked for every tenant): row-level security, set from the caller's
// scope, finds and changes nothing of JHB's. The same statements for JHB's
// job do reach them.
func TestAnInternalJobCannotReachAnotherTenantsRowsEvenWithoutItsTenantFilter(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "sla_store", func(ctx context.Context, p *pgxpool.Pool) error {
		return pg.Prepare(ctx, p, "sla", migrations.FS)
	})
	cpt := seed(t, pool, "CPT")
	jhb := seed(t, pool, "JHB")
	run := func(c access.Caller, fn func(ctx context.Context, tx pgx.Tx) error) error {
		return pg.InTx(t.Context(), pool, c.Scope(), func(tx pgx.Tx) error { return fn(t.Context(), tx) })
	}

	for _, id := range jhb {
		t.Run("a CPT job cannot read or lock JHB's ticket "+id, func(t *testing.T) {
			require.NoError(t, run(serviceJob("CPT"), func(ctx context.Context, tx pgx.Tx) error {
				clocks, err := store.LockTicketClocks(ctx, tx, id)
				require.Empty(t, clocks)
				if err != nil {
					return err
				}
				evs, err := store.TicketEvents(ctx, tx, id)
				require.Empty(t, evs)
				if err != nil {
					return err
				}
				segs, err := store.TicketSegments(ctx, tx, id)
				require.Empty(t, segs)
				return err
			}))
			err := run(serviceJob("CPT"), func(ctx context.Context, tx pgx.Tx) error {
				_, err := store.LockTicket(ctx, tx, id)
				return err
			})
			require.ErrorIs(t, err, domain.ErrNotClockedYet)
			require.NoError(t, run(serviceJob("JHB"), func(ctx context.Context, tx pgx.Tx) error {
				clocks, err := store.TicketClocks(ctx, tx, id)
				require.Len(t, clocks, 2)
				return err
			}), "the control: JHB's job reads them")
		})
	}
	feed := func(c access.Caller) []domain.ClockEvent {
		var evs []domain.ClockEvent
		require.NoError(t, run(c, func(ctx context.Context, tx pgx.Tx) (err error) {
			evs, err = store.ClockEventsAfter(ctx, tx, "", "", 100)
			return err
		}))
		return evs
	}
	// The feed shows an event once every older transaction of the cluster
	// has ended (another test may hold one open for a moment).
	require.Eventually(t, func() bool { return len(feed(access.System("sla-clock-feed"))) == 2 }, 10*time.Second, 20*time.Millisecond,
		"the feed of every tenant holds both tenants' warnings")
	t.Run("a CPT job asking for every tenant's rows gets only CPT's", func(t *testing.T) {
		evs := feed(serviceJob("CPT"))
		require.Len(t, evs, 1)
		require.Equal(t, "CPT", evs[0].Tenant)
		require.NoError(t, run(serviceJob("CPT"), func(ctx context.Context, tx pgx.Tx) error {
			due, err := store.LockDueClocks(ctx, tx, time.Now(), 100)
			if err != nil {
				return err
			}
			require.NotEmpty(t, due)
			for _, c := range due {
				require.Equal(t, "CPT", c.Tenant)
			}
			open, err := store.LockOpenClocks(ctx, tx, "", "", "", "", true)
			if err != nil {
				return err
			}
			require.Len(t, open, 4, "CPT's two tickets, two open clocks each")
			risk, err := store.AtRiskClocks(ctx, tx, domain.AtRiskQuery{Tenant: "JHB", IncludeBreached: true, IncludeGBV: true, PageSize: 100})
			require.Empty(t, risk, "naming JHB does not reach it")
			if err != nil {
				return err
			}
			counts, err := store.Compliance(ctx, tx, "JHB", start.Add(-time.Hour), time.Now(), time.Now(), true)
			require.Empty(t, counts)
			return err
		}))
	})
	t.Run("a CPT job cannot write JHB's rows", func(t *testing.T) {
		id := jhb[1]
		require.NoError(t, run(serviceJob("CPT"), func(ctx context.Context, tx pgx.Tx) error {
			return store.UpdateTicketStatus(ctx, tx, id, word.StatusClosed, 99)
		}), "an update by id alone matches no row of another tenant")
		var status string
		require.NoError(t, pool.QueryRow(t.Context(), `SELECT status FROM sla.tickets WHERE ticket_id = $1`, id).Scan(&status))
		require.Equal(t, word.StatusOpen, status)
		err := run(serviceJob("CPT"), func(ctx context.Context, tx pgx.Tx) error {
			_, err := store.NextEscalationLevel(ctx, tx, id)
			return err
		})
		require.Error(t, err, "no escalation level of another tenant's ticket")
		forged := domain.StartClock("JHB", id, "water", domain.ClockResponse, 9, start, domain.ChoosePolicy("JHB", "water", "", nil), calendar.AlwaysOpen())
		err = run(serviceJob("CPT"), func(ctx context.Context, tx pgx.Tx) error { return store.SaveClock(ctx, tx, forged) })
		require.Error(t, err, "row-level security refuses a clock of another tenant")
		err = run(serviceJob("CPT"), func(ctx context.Context, tx pgx.Tx) error {
			_, err := store.MarkEventProcessed(ctx, tx, domain.TicketEvent{EventID: uuid.NewString(), Tenant: "JHB", TicketID: id})
			return err
		})
		require.Error(t, err, "no event of another tenant")
		err = run(serviceJob("CPT"), func(ctx context.Context, tx pgx.Tx) error {
			_, err := store.InsertClockEvent(ctx, tx, &domain.ClockEvent{Tenant: "JHB", TicketID: id, ClockKind: domain.ClockResolution,
				Cycle: 1, Kind: domain.EventBreach, Level: 1, CreateTime: time.Now()})
			return err
		})
		require.Error(t, err, "no clock event of another tenant")
		var n int
		require.NoError(t, pool.QueryRow(t.Context(), `SELECT count(*) FROM sla.clocks WHERE tenant = 'JHB'`).Scan(&n))
		require.Equal(t, 4, n, "JHB's clocks are as they were")
	})
	t.Run("a service token for every tenant reads nothing on its own", func(t *testing.T) {
		require.NoError(t, run(serviceJob(auth.AllTenants), func(ctx context.Context, tx pgx.Tx) error {
			for _, id := range append(append([]string{}, cpt...), jhb...) {
				clocks, err := store.TicketClocks(ctx, tx, id)
				require.Empty(t, clocks)
				if err != nil {
					return err
				}
			}
			return nil
		}))
		require.Empty(t, feed(serviceJob(auth.AllTenants)))
	})
	t.Run("the sweep, by name, reaches every tenant", func(t *testing.T) {
		require.NoError(t, run(access.System("sla-sweep"), func(ctx context.Context, tx pgx.Tx) error {
			open, err := store.LockOpenClocks(ctx, tx, "", "", "", "", true)
			require.Len(t, open, 8)
			return err
		}))
	})
}
