package server_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/server/servertest"
	"github.com/salga/trustengine/services/notify/internal/app"
	"github.com/salga/trustengine/services/notify/internal/domain"
	"github.com/salga/trustengine/services/notify/internal/outbox"
	"github.com/salga/trustengine/services/notify/internal/peers"
	"github.com/salga/trustengine/services/notify/internal/server"
	"github.com/salga/trustengine/services/notify/internal/store"
	"github.com/salga/trustengine/services/notify/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// migrate prepares the template database the way the binary does.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	if err := pg.Prepare(ctx, pool, outbox.Schema, migrations.FS); err != nil {
		return err
	}
	return queue.Migrate(ctx, pool, outbox.Schema)
}

// Secrets of the test's providers.
const (
	twilioToken     = "twilio-auth-token-for-tests"
	clickatellToken = "clickatell-callback-token"
	waSecret        = "whatsapp-app-secret"
	publicURL       = "https://te.example.org"
)

// harness is one notify service on its own database, over bufconn, with
// fake routing, SLA and providers, and a clock the test sets.
type harness struct {
	pool     *pgxpool.Pool
	app      *app.App
	public   notifyv1.NotifyServiceClient
	internal notifyv1.NotifyInternalServiceClient
	teams    *fakeTeams
	cal      *fakeCalendars
	sent     *outbox_
	clock    *clock
	links    domain.Links
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return harnessOn(t, pgtest.NewDB(t, "notify", migrate), &outbox_{failures: map[domain.Channel][]error{}})
}

// harnessOn is a service instance on a prepared database, sending to sent;
// two on one database are two replicas.
func harnessOn(t *testing.T, pool *pgxpool.Pool, sent *outbox_) *harness {
	t.Helper()
	keys, err := seal.ParseKeyring(seal.DevKeys, "dev")
	require.NoError(t, err)
	inserter, err := outbox.NewInserter(pool, quiet())
	require.NoError(t, err)
	h := &harness{pool: pool, teams: &fakeTeams{teams: map[string]domain.Team{}}, cal: &fakeCalendars{cal: domain.Calendar{AlwaysOpen: true}},
		sent: sent, clock: newClock(),
		links: domain.Links{Secret: []byte("test-link-secret-of-32-bytes-or-more"), BaseURL: publicURL}}
	senders := map[domain.Channel]app.Sender{}
	for _, ch := range domain.Channels {
		senders[ch] = h.sent.sender(ch)
	}
	h.app = app.New(app.Options{Pool: pool, Store: store.New(keys), Jobs: outbox.NewEnqueuer(inserter), Teams: h.teams, Calendars: h.cal,
		Senders: senders, Links: h.links, DevMode: true, Now: h.clock.now,
		Inbound: map[string]app.Inbound{
			"twilio":     peers.NewTwilio(peers.TwilioConfig{AuthToken: twilioToken, AccountSID: "AC1"}),
			"clickatell": peers.NewClickatell(peers.ClickatellConfig{CallbackToken: clickatellToken}),
			"whatsapp":   peers.NewWhatsApp(peers.WhatsAppConfig{AppSecret: waSecret, VerifyToken: "verify-me"}),
		}})
	conn := servertest.Bufconn(t, server.New(h.app).Register)
	h.public, h.internal = notifyv1.NewNotifyServiceClient(conn), notifyv1.NewNotifyInternalServiceClient(conn)
	return h
}

// work starts this instance's queue workers (planning and every channel)
// until the test ends.
func (h *harness) work(t *testing.T) *queue.Client {
	t.Helper()
	w, err := outbox.NewQueue(h.pool, quiet(), outbox.Work{Planner: h.app, Deliverer: h.app, Channels: domain.Channels})
	require.NoError(t, err)
	require.NoError(t, w.Start(context.Background()))
	t.Cleanup(func() { _ = w.Stop(context.Background()) })
	return w
}

// settle waits until no job is left to do.
func (h *harness) settle(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for h.count(t, `SELECT count(*) FROM notify.river_job WHERE state IN ('available','running','retryable','scheduled','pending')`) > 0 {
		if time.Now().After(deadline) {
			var errs string
			_ = h.pool.QueryRow(context.Background(), `SELECT coalesce(string_agg(kind || ': ' || errors::text, E'\n'), '')
				FROM notify.river_job WHERE state <> 'completed'`).Scan(&errs)
			t.Fatalf("the queue did not drain within 60s:\n%s", errs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// count runs a counting query as the owner, past row-level security.
func (h *harness) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, h.pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

// as returns a context authenticated as subject with roles in tenant.
func as(t *testing.T, tenant, subject string, roles ...string) context.Context {
	t.Helper()
	return servertest.WithToken(context.Background(), servertest.Token(t, auth.Claims{Subject: subject, Tenant: tenant, Roles: roles}))
}

// Callers of the tests.
func serviceFor(t *testing.T, tenant string) context.Context {
	return as(t, tenant, "ticket", auth.RoleService)
}
func agent(t *testing.T, tenant string) context.Context {
	return as(t, tenant, "agent-"+tenant, auth.RoleAgent)
}
func saps(t *testing.T, tenant string) context.Context {
	return as(t, tenant, "saps-"+tenant, auth.RoleSAPSLiaison)
}
func admin(t *testing.T, tenant string) context.Context {
	return as(t, tenant, "admin-"+tenant, auth.RoleMunicipalAdmin)
}
func gateway(t *testing.T, tenant string) context.Context {
	return servertest.WithToken(context.Background(), servertest.GatewayToken(t, tenant))
}

// event is a valid event of kind about ticket of tenant CPT.
func event(ticket string, kind notifyv1.EventKind, cat commonv1.Category) *notifyv1.RecordTicketEventRequest {
	return &notifyv1.RecordTicketEventRequest{EventId: uuid.NewString(), Tenant: "CPT", TicketId: ticket, Reference: "CPT-2026-000123",
		Category: cat, Kind: kind, ToStatus: commonv1.TicketStatus_TICKET_STATUS_OPEN, OccurTime: timestamppb.Now()}
}

// created is the created event of a new ticket with reporter contact c and
// preferences p.
func created(cat commonv1.Category, c *notifyv1.ReporterContact, p *commonv1.ReporterPreferences) *notifyv1.RecordTicketEventRequest {
	e := event(uuid.NewString(), notifyv1.EventKind_EVENT_KIND_CREATED, cat)
	e.ReporterSubject, e.Reporter, e.ReporterPreferences = "citizen-1", c, p
	return e
}

// record sends e as the ticket service would, as having occurred at the
// service's now (the test's clock, not the wall clock: a created event's
// grace is measured from it).
func (h *harness) record(t *testing.T, e *notifyv1.RecordTicketEventRequest) {
	t.Helper()
	e.OccurTime = timestamppb.New(h.clock.now())
	_, err := h.internal.RecordTicketEvent(serviceFor(t, e.GetTenant()), e)
	require.NoError(t, err)
}

// fakeTeams is routing.
type fakeTeams struct {
	mu    sync.Mutex
	teams map[string]domain.Team
	calls int
}

func (f *fakeTeams) GetTeam(_ context.Context, tenant, id string) (domain.Team, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	t, ok := f.teams[tenant+"/"+id]
	if !ok {
		return t, domain.ErrTeamNotFound
	}
	return t, nil
}

func (f *fakeTeams) add(tenant string, t domain.Team) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.teams[tenant+"/"+t.ID] = t
}

// fakeCalendars is SLA.
type fakeCalendars struct {
	mu  sync.Mutex
	cal domain.Calendar
}

func (f *fakeCalendars) CalendarFor(context.Context, string, string, time.Time) (domain.Calendar, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cal, nil
}

// clock is the app's clock: unless set, real time moved to the same day's
// noon in Johannesburg when the test starts (so reporters' night hours
// never hold a test's messages, whatever the hour it runs), running on.
type clock struct {
	mu     sync.Mutex
	set    *time.Time
	offset time.Duration
}

// newClock is a clock at noon in Johannesburg, running.
func newClock() *clock {
	now := time.Now()
	j := now.In(domain.Johannesburg)
	noon := time.Date(j.Year(), j.Month(), j.Day(), 12, 0, 0, 0, domain.Johannesburg)
	return &clock{offset: noon.Sub(now)}
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.set != nil {
		return *c.set
	}
	return time.Now().Add(c.offset)
}

func (c *clock) to(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.set = &t
}

// outbox_ records what the providers were given, and fails as told.
type outbox_ struct {
	mu       sync.Mutex
	got      []domain.Outgoing
	failures map[domain.Channel][]error
}

// fail makes ch's next len(errs) sends fail with errs in turn.
func (o *outbox_) fail(ch domain.Channel, errs ...error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.failures[ch] = append(o.failures[ch], errs...)
}

// all returns what was sent.
func (o *outbox_) all() []domain.Outgoing {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]domain.Outgoing(nil), o.got...)
}

// on returns what was sent on ch.
func (o *outbox_) on(ch domain.Channel) []domain.Outgoing {
	var out []domain.Outgoing
	for _, g := range o.all() {
		if g.Channel == ch {
			out = append(out, g)
		}
	}
	return out
}

type fakeSender struct {
	o  *outbox_
	ch domain.Channel
}

func (o *outbox_) sender(ch domain.Channel) app.Sender { return fakeSender{o: o, ch: ch} }

func (s fakeSender) Send(_ context.Context, out domain.Outgoing) (domain.Sent, error) {
	s.o.mu.Lock()
	defer s.o.mu.Unlock()
	if fs := s.o.failures[s.ch]; len(fs) > 0 {
		s.o.failures[s.ch] = fs[1:]
		if fs[0] != nil {
			return domain.Sent{}, fs[0]
		}
	}
	s.o.got = append(s.o.got, out)
	provider := map[domain.Channel]string{domain.ChannelSMS: "twilio", domain.ChannelWhatsApp: "whatsapp",
		domain.ChannelEmail: "smtp", domain.ChannelWebhook: "webhook"}[s.ch]
	return domain.Sent{Provider: provider, ProviderMessageID: "pid-" + out.MessageID, Delivered: s.ch == domain.ChannelWebhook}, nil
}
