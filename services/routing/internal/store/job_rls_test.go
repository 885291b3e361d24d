package store_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// serviceJob is the caller of an internal call carrying a job of tenant.
func serviceJob(tenant string) access.Caller {
	return access.FromClaims(auth.Claims{Subject: "ticket", Tenant: tenant, Roles: []string{auth.RoleService}, Kind: auth.KindService})
}

// seeded is one tenant's routing data: a SAPS team with a member and a
// water team, a GBV ticket assigned to the SAPS team with a sealed note
// and escalated once, and its status.
type seeded struct {
	saps, water domain.Team
	ticket      string
}

func seedTenant(t *testing.T, pool *pgxpool.Pool, st *store.Store, tenant string) seeded {
	t.Helper()
	var s seeded
	s.ticket = uuid.NewString()
	require.NoError(t, pg.InTx(t.Context(), pool, serviceJob(tenant).Scope(), func(tx pgx.Tx) error {
		var err error
		if s.saps, err = st.InsertTeam(t.Context(), tx, domain.Team{Tenant: tenant, Name: "SAPS", Category: word.CategoryGBV,
			IsSAPS: true, Active: true, Members: []domain.Member{{UserID: "officer-" + tenant}}}); err != nil {
			return err
		}
		if s.water, err = st.InsertTeam(t.Context(), tx, domain.Team{Tenant: tenant, Name: "Water", Category: word.CategoryWater, Active: true}); err != nil {
			return err
		}
		routed := domain.Assignment{Tenant: tenant, TicketID: s.ticket, Category: word.CategoryGBV, TeamID: s.saps.ID,
			AssignedBy: domain.SystemActor, Reason: word.ReasonGeospatial}
		if _, _, err := st.InsertAssignment(t.Context(), tx, routed, &domain.Decision{Reason: word.ReasonGeospatial}); err != nil {
			return err
		}
		escalated := routed
		escalated.Reason, escalated.EscalationLevel, escalated.Note, escalated.IsCurrent = word.ReasonSLABreach, 1, "sealed cause", true
		if _, _, err := st.InsertAssignment(t.Context(), tx, escalated, nil); err != nil {
			return err
		}
		_, err = st.RecordStatus(t.Context(), tx, domain.StatusReport{Tenant: tenant, TicketID: s.ticket, Status: "open", Sequence: 1})
		return err
	}))
	return s
}

// TestAnInternalJobCannotReachAnotherTenantsRowsEvenWithoutItsTenantFilter
// runs the store's statements for an internal call carrying a job of CPT,
// as a use case that forgot (or was handed the wrong) tenant would: look-ups
// by id alone, lists filtered by JHB, writes naming JHB's rows. Row-level
// security, set from the caller's scope, finds and changes nothing of
// JHB's. The same statements for JHB's job do reach them.
func TestAnInternalJobCannotReachAnotherTenantsRowsEvenWithoutItsTenantFilter(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "routingstore", prepare)
	st := store.New(devKeys(t))
	seedTenant(t, pool, st, "CPT")
	jhb := seedTenant(t, pool, st, "JHB")
	run := func(c access.Caller, fn func(tx pgx.Tx) error) error {
		return pg.InTx(t.Context(), pool, c.Scope(), fn)
	}
	ctx := t.Context()

	t.Run("a CPT job reads none of JHB's rows", func(t *testing.T) {
		require.NoError(t, run(serviceJob("CPT"), func(tx pgx.Tx) error {
			_, err := st.GetTeam(ctx, tx, jhb.saps.ID, false)
			require.ErrorIs(t, err, domain.ErrTeamNotFound, "a team by id")
			_, err = st.LockCurrent(ctx, tx, jhb.ticket)
			require.ErrorIs(t, err, domain.ErrTicketNotFound, "a ticket's current assignment by id")
			_, _, found, err := st.RoutingAssignment(ctx, tx, jhb.ticket)
			require.NoError(t, err)
			require.False(t, found, "a ticket's routing by id")
			_, found, err = st.EscalationAt(ctx, tx, jhb.ticket, 1)
			require.NoError(t, err)
			require.False(t, found, "a ticket's escalation by id")
			current, err := st.HasCurrent(ctx, tx, jhb.ticket)
			require.NoError(t, err)
			require.False(t, current)
			history, err := st.ListAssignments(ctx, tx, jhb.ticket, true)
			require.NoError(t, err)
			require.Empty(t, history, "a ticket's history by id")
			held, err := st.HasHeldGBV(ctx, tx, jhb.saps.ID)
			require.NoError(t, err)
			require.False(t, held)
			member, err := st.LeastLoadedMember(ctx, tx, jhb.saps.ID)
			require.NoError(t, err)
			require.Empty(t, member, "a team's members by id")
			teams, err := st.ListTeams(ctx, tx, domain.TeamFilter{Tenant: "JHB", IncludeInactive: true, Page: domain.Page{Limit: 100}})
			require.NoError(t, err)
			require.Empty(t, teams, "a list filtered by the other tenant")
			byName, err := st.TeamsByName(ctx, tx, "JHB", []string{"SAPS", "Water"})
			require.NoError(t, err)
			require.Empty(t, byName)
			queue, err := st.ListQueue(ctx, tx, domain.QueueFilter{Tenant: "JHB", TeamID: jhb.saps.ID, IncludeGBV: true, Page: domain.Page{Limit: 100}})
			require.NoError(t, err)
			require.Empty(t, queue, "a queue filtered by the other tenant")
			var cands domain.Candidates
			b := &pgx.Batch{}
			st.QueueCandidates(b, domain.RouteQuery{Tenant: "JHB", Category: word.CategoryGBV, Lat: -26.2, Lng: 28.0}, &cands)
			require.NoError(t, tx.SendBatch(ctx, b).Close())
			require.Empty(t, cands.Teams, "the routing search for the other tenant")
			return nil
		}))
		require.NoError(t, run(serviceJob("JHB"), func(tx pgx.Tx) error {
			if _, err := st.GetTeam(ctx, tx, jhb.saps.ID, false); err != nil {
				return err
			}
			history, err := st.ListAssignments(ctx, tx, jhb.ticket, true)
			require.Len(t, history, 2)
			return err
		}), "the control: JHB's job reads them")
	})

	t.Run("a CPT job writes none of JHB's rows", func(t *testing.T) {
		require.NoError(t, run(serviceJob("CPT"), func(tx pgx.Tx) error {
			return st.ClearCurrent(ctx, tx, jhb.ticket)
		}), "an update by ticket id alone matches no row of another tenant")
		err := run(serviceJob("CPT"), func(tx pgx.Tx) error {
			renamed := jhb.water
			renamed.Name = "Taken over"
			_, err := st.UpdateTeam(ctx, tx, renamed, true)
			return err
		})
		require.ErrorIs(t, err, domain.ErrTeamNotFound, "an update of a team by id alone")
		err = run(serviceJob("CPT"), func(tx pgx.Tx) error {
			_, err := st.RecordStatus(ctx, tx, domain.StatusReport{Tenant: "CPT", TicketID: jhb.ticket, Status: "closed", Sequence: 9})
			return err
		})
		require.Error(t, err, "a status over another tenant's ticket is refused")
		for name, write := range map[string]func(tx pgx.Tx) error{
			"a team of JHB": func(tx pgx.Tx) error {
				_, err := st.InsertTeam(ctx, tx, domain.Team{Tenant: "JHB", Name: "Sneaky", Category: word.CategoryWater, Active: true})
				return err
			},
			"an imported team of JHB": func(tx pgx.Tx) error {
				_, err := st.UpsertImportedTeam(ctx, tx, domain.Team{Tenant: "JHB", Name: "Water", Category: word.CategoryWater})
				return err
			},
			"an assignment of JHB's ticket": func(tx pgx.Tx) error {
				_, _, err := st.InsertAssignment(ctx, tx, domain.Assignment{Tenant: "JHB", TicketID: jhb.ticket, Category: word.CategoryWater,
					TeamID: jhb.water.ID, AssignedBy: "forged", Reason: word.ReasonManualOverride}, nil)
				return err
			},
			"a status of JHB": func(tx pgx.Tx) error {
				_, err := st.RecordStatus(ctx, tx, domain.StatusReport{Tenant: "JHB", TicketID: uuid.NewString(), Status: "open", Sequence: 1})
				return err
			},
		} {
			require.Error(t, run(serviceJob("CPT"), write), "row-level security refuses %s", name)
		}
		var current, assignments, statusSeq int
		var name string
		require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE is_current), count(*) FROM routing.assignments WHERE tenant = 'JHB'`).
			Scan(&current, &assignments))
		require.NoError(t, pool.QueryRow(ctx, `SELECT sequence FROM routing.ticket_status WHERE ticket_id = $1`, jhb.ticket).Scan(&statusSeq))
		require.NoError(t, pool.QueryRow(ctx, `SELECT name FROM routing.teams WHERE id = $1`, jhb.water.ID).Scan(&name))
		require.Equal(t, []any{1, 2, 1, "Water"}, []any{current, assignments, statusSeq, name}, "JHB's rows are as they were")
		require.Equal(t, 2, count(t, pool, `SELECT count(*) FROM routing.teams WHERE tenant = 'JHB'`))
	})

	t.Run("a service token for every tenant reads nothing on its own", func(t *testing.T) {
		require.NoError(t, run(serviceJob(auth.AllTenants), func(tx pgx.Tx) error {
			_, err := st.GetTeam(ctx, tx, jhb.saps.ID, false)
			require.ErrorIs(t, err, domain.ErrTeamNotFound)
			history, err := st.ListAssignments(ctx, tx, jhb.ticket, true)
			require.Empty(t, history)
			return err
		}))
	})
}
