package server_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/server/servertest"
	"github.com/salga/trustengine/services/routing/internal/app"
	"github.com/salga/trustengine/services/routing/internal/outbox"
	"github.com/salga/trustengine/services/routing/internal/server"
	"github.com/salga/trustengine/services/routing/internal/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is one routing service on its own database, reached over bufconn.
type env struct {
	t        *testing.T
	pool     *pgxpool.Pool
	app      *app.App
	public   routingv1.RoutingServiceClient
	internal routingv1.RoutingInternalServiceClient
}

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

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := pgtest.NewDB(t, "routing", migrate)
	keys, err := seal.ParseKeyring(seal.DevKeys, "dev")
	require.NoError(t, err)
	jobs, err := outbox.NewQueue(pool, slog.New(slog.NewTextHandler(io.Discard, nil)), outbox.Peers{})
	require.NoError(t, err)
	a := app.New(pool, store.New(keys), outbox.NewEnqueuer(jobs), slog.New(slog.NewTextHandler(io.Discard, nil)))
	conn := dial(t, func(s *grpc.Server) { server.New(a).Register(s) })
	return &env{t: t, pool: pool, app: a, public: routingv1.NewRoutingServiceClient(conn),
		internal: routingv1.NewRoutingInternalServiceClient(conn)}
}

// as returns a context carrying a real token for subject with roles in tenant.
func as(t *testing.T, tenant, subject string, roles ...string) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return servertest.WithToken(ctx, servertest.Token(t, auth.Claims{Subject: subject, Tenant: tenant, Roles: roles}))
}

func platform(t *testing.T) context.Context { return as(t, "*", "root", auth.RolePlatformAdmin) }
func service(t *testing.T) context.Context  { return serviceFor(t, "TST") }

// serviceFor is the ticket service calling with a job of tenant.
func serviceFor(t *testing.T, tenant string) context.Context {
	return as(t, tenant, "ticket", auth.RoleService)
}
func admin(t *testing.T, tenant string) context.Context {
	return as(t, tenant, "admin-"+tenant, auth.RoleMunicipalAdmin)
}

// square is a GeoJSON Polygon of the box [lng0,lng1] x [lat0,lat1].
func square(lng0, lat0, lng1, lat1 float64) *structpb.Struct {
	return geometry("Polygon", []any{[]any{
		[]any{lng0, lat0}, []any{lng1, lat0}, []any{lng1, lat1}, []any{lng0, lat1}, []any{lng0, lat0},
	}})
}

func geometry(kind string, coords []any) *structpb.Struct {
	s, err := structpb.NewStruct(map[string]any{"type": kind, "coordinates": coords})
	if err != nil {
		panic(err)
	}
	return s
}

// municipality registers a test municipality: the box lng 25..26, lat
// -30..-29 (inside South Africa) under code.
func (e *env) municipality(code string) {
	e.t.Helper()
	_, err := e.public.CreateMunicipality(platform(e.t), &routingv1.CreateMunicipalityRequest{
		Municipality: &routingv1.Municipality{Code: code, Name: "Test " + code, Province: "FS",
			Boundary: square(25, -30, 26, -29)},
	})
	require.NoError(e.t, err)
}

// team creates a team in tenant and returns it.
func (e *env) team(tenant string, t *routingv1.Team) *routingv1.Team {
	e.t.Helper()
	t.Tenant = tenant
	resp, err := e.public.CreateTeam(admin(e.t, tenant), &routingv1.CreateTeamRequest{Team: t})
	require.NoError(e.t, err)
	return resp.GetTeam()
}

// route routes a fresh ticket at (lat, lng) and returns the response.
func (e *env) route(tenant string, cat commonv1.Category, lat, lng float64) *routingv1.RouteTicketResponse {
	e.t.Helper()
	resp, err := e.internal.RouteTicket(serviceFor(e.t, tenant), &routingv1.RouteTicketRequest{
		Tenant: tenant, TicketId: newID(), Category: cat,
		Location: &commonv1.LatLng{Latitude: lat, Longitude: lng},
	})
	require.NoError(e.t, err)
	return resp
}

// triage is the ids of the triage queue's first page as staff sees it.
func (e *env) triage(staff context.Context) []string {
	e.t.Helper()
	q, err := e.public.ListTriageQueue(staff, &routingv1.ListTriageQueueRequest{})
	require.NoError(e.t, err)
	var ids []string
	for _, x := range q.GetTickets() {
		ids = append(ids, x.GetTicketId())
	}
	return ids
}

// count runs a counting query as the owner (bypassing RLS).
func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	require.NoError(e.t, e.pool.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}

// newID returns a fresh ticket id.
func newID() string { return uuid.NewString() }

// requireCode asserts err is a gRPC status with code c whose message
// contains each of the fragments.
func requireCode(t *testing.T, err error, c codes.Code, fragments ...string) {
	t.Helper()
	require.Error(t, err)
	st, ok := status.FromError(err)
	require.True(t, ok, "not a status: %v", err)
	require.Equal(t, c, st.Code(), st.Message())
	for _, f := range fragments {
		require.Contains(t, st.Message(), f)
	}
}

// dial serves register behind the production interceptor chain and the
// service's message size limit (whole-country imports need 64 MB) over
// bufconn and returns a client connection.
func dial(t *testing.T, register func(*grpc.Server)) *grpc.ClientConn {
	t.Helper()
	return servertest.BufconnWith(t, register, servertest.Options{MaxMsgSize: server.MaxRecvMsgSize})
}
