package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/sla/internal/app"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/domain/calendar"
	"github.com/salga/trustengine/services/sla/internal/outbox"
	"github.com/salga/trustengine/services/sla/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// setup migrates a template database like the binary does at start-up.
func setup(ctx context.Context, pool *pgxpool.Pool) error {
	if err := pg.Migrate(ctx, pool, "sla", migrations.FS); err != nil {
		return err
	}
	return queue.Migrate(ctx, pool, outbox.Schema)
}

// fixture is an App on a fresh database with a movable clock.
type fixture struct {
	pool *pgxpool.Pool
	jobs app.Jobs
	app  *app.App
	now  time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pool := pgtest.NewDB(t, "sla", setup)
	q, err := outbox.NewQueue(pool, nil, outbox.Peers{})
	require.NoError(t, err)
	jobs := outbox.NewEnqueuer(q)
	f := &fixture{pool: pool, jobs: jobs, app: app.New(pool, jobs, 100), now: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	f.app.Clock = func() time.Time { return f.now }
	return f
}

// as is a call by claims' caller, as libs/server puts it in the context.
func as(c auth.Claims) context.Context {
	return access.WithCaller(context.Background(), access.FromClaims(c))
}

// job is a call of the ticket service carrying a job of tenant.
func job(tenant string) context.Context {
	return as(auth.Claims{Subject: "ticket", Tenant: tenant, Roles: []string{auth.RoleService}, Kind: auth.KindService})
}

// allTenants is a call of a service reading the feed of every municipality.
var allTenants = job(auth.AllTenants)

// admin is a platform admin's call.
var admin = as(auth.Claims{Subject: "admin-1", Tenant: auth.AllTenants, Roles: []string{auth.RolePlatformAdmin}})

// create feeds a created event and returns the ticket id.
func (f *fixture) create(t *testing.T, tenant, category string, at time.Time) string {
	t.Helper()
	id := uuid.NewString()
	_, applied, err := f.app.RecordTicketEvent(job(tenant), domain.TicketEvent{
		EventID: uuid.NewString(), Tenant: tenant, TicketID: id, Category: category, Kind: domain.EventCreated,
		To: word.StatusOpen, At: at, Sequence: 1})
	require.NoError(t, err)
	require.True(t, applied)
	return id
}

// status feeds a status change.
func (f *fixture) status(t *testing.T, tenant, id string, seq int64, from, to string, first bool, at time.Time) []domain.Clock {
	t.Helper()
	clocks, _, err := f.app.RecordTicketEvent(job(tenant), domain.TicketEvent{
		EventID: uuid.NewString(), Tenant: tenant, TicketID: id, Kind: domain.EventStatusChanged,
		From: from, To: to, FirstResponse: first, At: at, Sequence: seq})
	require.NoError(t, err)
	return clocks
}

func (f *fixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, f.pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

func clockOf(t *testing.T, clocks []domain.Clock, kind string, cycle int) domain.Clock {
	t.Helper()
	for _, c := range clocks {
		if c.Kind == kind && c.Cycle == cycle {
			return c
		}
	}
	t.Fatalf("no %s clock cycle %d in %+v", kind, cycle, clocks)
	return domain.Clock{}
}

func mustBuild(t *testing.T, s domain.CalendarSpec) *calendar.Calendar {
	t.Helper()
	c, err := s.Build()
	require.NoError(t, err)
	return c
}
