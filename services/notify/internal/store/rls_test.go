package store_test

import (
	"context"
	"errors"
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
	"github.com/salga/trustengine/services/notify/internal/domain"
	"github.com/salga/trustengine/services/notify/internal/store"
	"github.com/salga/trustengine/services/notify/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func keys(t testing.TB) *seal.Keyring {
	k, err := seal.ParseKeyring(seal.DevKeys, "dev")
	require.NoError(t, err)
	return k
}

// job is the caller of the service's own work for tenant (or an internal
// call carrying its job): confined to it, seeing its GBV rows.
func job(tenant string) access.Caller {
	return access.Worker("notify", tenant)
}

// seeded is what seed wrote for one tenant.
type seeded struct {
	tickets  []string
	messages []string
	event    domain.Event
}

// seed writes, as tenant's job, a GBV and a water ticket with their
// created events, reporters and a message each, a staff contact, a team
// channel, a template, settings and an opt-out.
func seed(t *testing.T, pool *pgxpool.Pool, st *store.Store, tenant string) seeded {
	t.Helper()
	var out seeded
	now := time.Now().UTC().Truncate(time.Microsecond)
	require.NoError(t, pg.InTx(t.Context(), pool, job(tenant).Scope(), func(tx pgx.Tx) error {
		for _, cat := range []string{"gbv", "water"} {
			ev := domain.Event{ID: uuid.NewString(), Tenant: tenant, TicketID: uuid.NewString(), Reference: tenant + "-2026-000001",
				Category: cat, Kind: domain.KindCreated, To: "open", OccurTime: now}
			r := domain.Reporter{Tenant: tenant, TicketID: ev.TicketID, GBV: cat == "gbv", Contact: domain.Contact{Phone: "+27821234567"}}
			if _, err := st.RecordEvents(t.Context(), tx, []store.NewEvent{{Event: ev, Reporter: &r}}, now); err != nil {
				return err
			}
			m := domain.Message{ID: uuid.NewString(), Tenant: tenant, TicketID: ev.TicketID, EventID: ev.ID, GBV: r.GBV, Kind: ev.Kind,
				Recipient: domain.RecipientReporter, Channel: domain.ChannelSMS, Language: domain.LangEN, State: domain.StateWaiting,
				Body: "x", NotBefore: &now, Create: now, Update: now}
			if _, err := st.InsertMessage(t.Context(), tx, m); err != nil {
				return err
			}
			out.tickets, out.messages, out.event = append(out.tickets, ev.TicketID), append(out.messages, m.ID), ev
		}
		if err := st.PutStaffContact(t.Context(), tx, tenant, domain.StaffContact{UserID: "u1", Email: "u1@example.org", Update: now}); err != nil {
			return err
		}
		if err := st.PutTeamChannel(t.Context(), tx, tenant, domain.TeamChannel{TeamID: uuid.NewString(), Emails: []string{"t@example.org"}, Update: now}); err != nil {
			return err
		}
		if err := st.InsertTemplate(t.Context(), tx, domain.Template{ID: uuid.NewString(), Tenant: tenant, Audience: domain.AudienceReporter,
			Kind: domain.KindCreated, Language: domain.LangEN, Body: "{{.Reference}}", Create: now, Update: now}); err != nil {
			return err
		}
		if err := st.PutSettings(t.Context(), tx, domain.Settings{Tenant: tenant, ReporterAtNight: true}, now); err != nil {
			return err
		}
		_, err := st.OptOut(t.Context(), tx, tenant, domain.ChannelSMS, []byte("hash"), "test", now)
		return err
	}))
	return out
}

// TestAJobCannotReachAnotherTenantsRowsEvenWithoutItsTenantFilter runs the
// store's statements for the work of CPT, with every tenant filter lifted
// (a visibility of all tenants, the statements that select or update by id
// alone), against JHB's rows: row-level security, set from the caller's
// scope, finds and changes nothing of JHB's. The same statements as JHB's
// work do reach them.
func TestAJobCannotReachAnotherTenantsRowsEvenWithoutItsTenantFilter(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "notify_store", func(ctx context.Context, p *pgxpool.Pool) error {
		return pg.Prepare(ctx, p, "notify", migrations.FS)
	})
	st := store.New(keys(t))
	seed(t, pool, st, "CPT")
	jhb := seed(t, pool, st, "JHB")
	everything := domain.Visibility{AllTenants: true, GBV: true}
	run := func(tenant string, fn func(tx pgx.Tx) error) error {
		return pg.InTx(t.Context(), pool, job(tenant).Scope(), fn)
	}
	reads := map[string]func(tx pgx.Tx) (bool, error){
		"its tickets": func(tx pgx.Tx) (bool, error) {
			_, err := st.GetTicket(t.Context(), tx, jhb.tickets[0], everything)
			return err == nil, ignore(err, domain.ErrTicketNotFound)
		},
		"its reporters": func(tx pgx.Tx) (bool, error) {
			_, err := st.GetReporter(t.Context(), tx, jhb.tickets[0], everything, true)
			return err == nil, ignore(err, domain.ErrReporterNotFound)
		},
		"its events": func(tx pgx.Tx) (bool, error) {
			_, reps, _, err := st.ReadToPlan(t.Context(), tx, "JHB", []string{jhb.event.ID})
			return err == nil && reps[0] != nil, ignore(err, domain.ErrTicketNotFound)
		},
		"its messages by id": func(tx pgx.Tx) (bool, error) {
			_, err := st.GetMessage(t.Context(), tx, jhb.messages[0], true)
			return err == nil, ignore(err, domain.ErrMessageNotFound)
		},
		"its messages by ticket": func(tx pgx.Tx) (bool, error) {
			ms, err := st.ListTicketMessages(t.Context(), tx, jhb.tickets[1], everything)
			return len(ms) > 0, err
		},
		"its waiting messages": func(tx pgx.Tx) (bool, error) {
			ms, err := st.DueWaiting(t.Context(), tx, time.Now().Add(time.Hour), 100)
			for _, m := range ms {
				if m.Tenant == "JHB" {
					return true, err
				}
			}
			return false, err
		},
		"its staff contacts": func(tx pgx.Tx) (bool, error) {
			cs, err := st.StaffContacts(t.Context(), tx, "JHB", nil)
			return len(cs) > 0, err
		},
		"its team channels": func(tx pgx.Tx) (bool, error) {
			cs, err := st.TeamChannels(t.Context(), tx, "JHB", nil)
			return len(cs) > 0, err
		},
		"its templates": func(tx pgx.Tx) (bool, error) {
			ts, err := st.ListTemplates(t.Context(), tx, "JHB")
			return len(ts) > 0, err
		},
		"its settings": func(tx pgx.Tx) (bool, error) {
			s, err := st.GetSettings(t.Context(), tx, "JHB")
			return s.ReporterAtNight, err
		},
		"its opt-outs": func(tx pgx.Tx) (bool, error) {
			return st.OptedOut(t.Context(), tx, "JHB", domain.ChannelSMS, []byte("hash"))
		},
	}
	for name, read := range reads {
		t.Run("a CPT job cannot read "+name, func(t *testing.T) {
			var found bool
			require.NoError(t, run("CPT", func(tx pgx.Tx) (err error) { found, err = read(tx); return err }))
			require.False(t, found)
			require.NoError(t, run("JHB", func(tx pgx.Tx) (err error) { found, err = read(tx); return err }))
			require.True(t, found, "the control: JHB's own work finds it")
		})
	}
	t.Run("a CPT job cannot change JHB's messages by id", func(t *testing.T) {
		require.NoError(t, run("CPT", func(tx pgx.Tx) error {
			return st.SetState(t.Context(), tx, domain.Message{ID: jhb.messages[1], State: domain.StateFailed, Update: time.Now()})
		}))
		var state string
		require.NoError(t, pool.QueryRow(t.Context(), `SELECT state FROM notify.messages WHERE id = $1`, jhb.messages[1]).Scan(&state))
		require.Equal(t, "waiting", state)
	})
	t.Run("a CPT job cannot write rows of JHB", func(t *testing.T) {
		ev := jhb.event
		ev.ID, ev.TicketID = uuid.NewString(), uuid.NewString()
		err := run("CPT", func(tx pgx.Tx) error {
			_, err := st.RecordEvents(t.Context(), tx, []store.NewEvent{{Event: ev}}, time.Now())
			return err
		})
		require.Error(t, err, "row-level security refuses the insert")
		err = run("CPT", func(tx pgx.Tx) error {
			_, err := st.OptOut(t.Context(), tx, "JHB", domain.ChannelEmail, []byte("h2"), "x", time.Now())
			return err
		})
		require.Error(t, err)
	})
	t.Run("a person's scope without the SAPS role sees no GBV row", func(t *testing.T) {
		agent := access.FromClaims(auth.Claims{Subject: "a", Tenant: "JHB", Roles: []string{auth.RoleAgent}})
		var n int
		require.NoError(t, pg.InTx(t.Context(), pool, agent.Scope(), func(tx pgx.Tx) error {
			return tx.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM notify.tickets WHERE gbv) + (SELECT count(*) FROM notify.messages WHERE gbv)
				+ (SELECT count(*) FROM notify.reporters WHERE gbv) + (SELECT count(*) FROM notify.events WHERE gbv)`).Scan(&n)
		}))
		require.Zero(t, n)
	})
}

// ignore is err unless it is want (an expected "not found").
func ignore(err, want error) error {
	if err == nil || errors.Is(err, want) {
		return nil
	}
	return err
}
