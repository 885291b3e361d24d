package server_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/server/servertest"
	"github.com/salga/trustengine/services/ticket/internal/app"
	"github.com/salga/trustengine/services/ticket/internal/outbox"
	"github.com/salga/trustengine/services/ticket/internal/server"
	"github.com/salga/trustengine/services/ticket/internal/store"
	"github.com/salga/trustengine/services/ticket/internal/store/blobs"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// migrate prepares the template database the way the binary does.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	keys, err := seal.ParseKeyring(seal.DevKeys, "dev")
	if err != nil {
		return err
	}
	if err := store.Prepare(ctx, pool, keys); err != nil {
		return err
	}
	return queue.Migrate(ctx, pool, outbox.Schema)
}

// harness is one service instance on its own database, over bufconn.
type harness struct {
	pool     *pgxpool.Pool
	app      *app.App
	public   ticketv1.TicketServiceClient
	internal ticketv1.TicketInternalServiceClient
	// objects is where the instance keeps attachments, spool where it
	// receives them.
	objects blobs.Store
	spool   string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return harnessOn(t, pgtest.NewDB(t, "ticket", migrate))
}

// harnessOn is a service instance on a prepared database, keeping
// attachments in a local directory.
func harnessOn(t *testing.T, pool *pgxpool.Pool) *harness {
	t.Helper()
	return harnessWith(t, pool, testPhotos(t, localObjects(t)))
}

// harnessWith is a service instance on a prepared database with the given
// attachment settings.
func harnessWith(t *testing.T, pool *pgxpool.Pool, photos app.Photos) *harness {
	t.Helper()
	keys, err := seal.ParseKeyring(seal.DevKeys, "dev")
	require.NoError(t, err)
	jobs, err := outbox.NewQueue(pool, slog.New(slog.NewTextHandler(io.Discard, nil)), outbox.Peers{})
	require.NoError(t, err)
	a := app.New(pool, store.New(keys), outbox.NewEnqueuer(jobs, keys)).WithPhotos(photos)

	conn := servertest.BufconnWith(t, server.New(a).Register, servertest.Options{MaxMsgSize: server.MaxRecvMsgSize})
	return &harness{pool: pool, app: a, public: ticketv1.NewTicketServiceClient(conn),
		internal: ticketv1.NewTicketInternalServiceClient(conn), objects: photos.Objects, spool: photos.SpoolDir}
}

// testLogger discards server logs unless TICKET_TEST_LOG is set.
func testLogger() *slog.Logger {
	var out io.Writer = io.Discard
	if os.Getenv("TICKET_TEST_LOG") != "" {
		out = os.Stderr
	}
	return slog.New(slog.NewTextHandler(out, nil))
}

// as returns a context authenticated as subject with roles in tenant.
func as(t *testing.T, tenant, subject string, roles ...string) context.Context {
	t.Helper()
	tok := servertest.Token(t, auth.Claims{Subject: subject, Tenant: tenant, Roles: roles})
	return servertest.WithToken(context.Background(), tok)
}

// Callers used across the tests.
func citizen(t *testing.T, tenant, sub string) context.Context {
	return as(t, tenant, sub, auth.RoleCitizen)
}
func agent(t *testing.T, tenant string) context.Context {
	return as(t, tenant, "agent-"+tenant, auth.RoleAgent)
}
func saps(t *testing.T, tenant string) context.Context {
	return as(t, tenant, "saps-"+tenant, auth.RoleSAPSLiaison)
}
func admin(t *testing.T) context.Context   { return as(t, "*", "root", auth.RolePlatformAdmin) }
func service(t *testing.T) context.Context { return serviceFor(t, "CPT") }

// serviceFor is another service calling with a job of tenant.
func serviceFor(t *testing.T, tenant string) context.Context {
	return as(t, tenant, "routing", auth.RoleService)
}

// capeTown is a point in central Cape Town.
var capeTown = &commonv1.LatLng{Latitude: -33.9249, Longitude: 18.4241}

// newTicket is a valid create request in tenant CPT.
func newTicket(cat commonv1.Category, desc string) *ticketv1.CreateTicketRequest {
	return &ticketv1.CreateTicketRequest{
		Category: cat, Description: desc, Location: capeTown, Address: "1 Adderley St",
		Reporter: &ticketv1.Reporter{Name: "Thandi", Phone: "+27821234567", Email: "thandi@example.org"},
		Channel:  ticketv1.Channel_CHANNEL_MOBILE_APP,
	}
}

// create makes a ticket as ctx's caller and fails the test on error.
func (h *harness) create(t *testing.T, ctx context.Context, req *ticketv1.CreateTicketRequest) *ticketv1.Ticket {
	t.Helper()
	resp, err := h.public.CreateTicket(ctx, req)
	require.NoError(t, err)
	return resp.GetTicket()
}

// count runs a counting query as the (superuser) owner, past RLS.
func (h *harness) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, h.pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}
