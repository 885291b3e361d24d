package httpapi_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/stretchr/testify/require"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/gen/openapi"
	"github.com/salga/trustengine/services/gateway/internal/httpapi"
)

// recordingTickets is a gRPC TicketService that answers GetTicket with the
// error named by the id and records the metadata CreateTicket received. It
// stands in for the ticket service so the gateway's own behaviour (headers,
// error shapes, limits) can be checked in isolation.
type recordingTickets struct {
	ticketv1.UnimplementedTicketServiceServer
	mu sync.Mutex
	md metadata.MD
}

func (s *recordingTickets) CreateTicket(ctx context.Context, req *ticketv1.CreateTicketRequest) (*ticketv1.CreateTicketResponse, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	s.mu.Lock()
	s.md = md
	s.mu.Unlock()
	return &ticketv1.CreateTicketResponse{Ticket: &ticketv1.Ticket{Id: "t-1", Description: req.GetDescription()}}, nil
}

func (s *recordingTickets) GetTicket(_ context.Context, req *ticketv1.GetTicketRequest) (*ticketv1.GetTicketResponse, error) {
	switch req.GetId() {
	case "missing":
		return nil, status.Error(codes.NotFound, "ticket not found")
	case "illegal":
		return nil, status.Error(codes.FailedPrecondition, "cannot move closed -> open")
	case "forbidden":
		return nil, status.Error(codes.PermissionDenied, "not yours")
	case "anon":
		return nil, status.Error(codes.Unauthenticated, "missing bearer token")
	case "busy":
		return nil, status.Error(codes.ResourceExhausted, "slow down")
	case "bad":
		st, _ := status.New(codes.InvalidArgument, "invalid location.latitude: must be between -90 and 90").WithDetails(&errdetails.BadRequest{
			FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "location.latitude", Description: "must be between -90 and 90"}},
		})
		return nil, st.Err()
	}
	return &ticketv1.GetTicketResponse{Ticket: &ticketv1.Ticket{Id: req.GetId()}}, nil
}

// newGateway starts the recording ticket service and a health service on a
// bufconn and returns the gateway handler in front of them.
func newGateway(t *testing.T, serving bool) (http.Handler, *recordingTickets) {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer()
	rec := &recordingTickets{}
	ticketv1.RegisterTicketServiceServer(srv, rec)
	hs := health.NewServer()
	if !serving {
		hs.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	}
	healthpb.RegisterHealthServer(srv, hs)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	cc, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = cc.Close() })
	h, err := httpapi.New(context.Background(), httpapi.Backends{Ticket: cc, Routing: cc, SLA: cc, Notify: cc},
		httpapi.Options{MaxBodyBytes: 4096, CORSOrigins: []string{"https://ops.example.org"}})
	require.NoError(t, err)
	return h, rec
}

func do(h http.Handler, method, path, body string, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	return rr
}

func TestBackendErrorsBecomeConventionalHTTPStatuses(t *testing.T) {
	t.Parallel()
	h, _ := newGateway(t, true)
	cases := []struct {
		name, id   string
		wantHTTP   int
		wantStatus string
	}{
		{"a missing ticket is 404", "missing", 404, "NOT_FOUND"},
		{"an illegal transition is 409", "illegal", 409, "FAILED_PRECONDITION"},
		{"another tenant's ticket is 403", "forbidden", 403, "PERMISSION_DENIED"},
		{"a missing token is 401", "anon", 401, "UNAUTHENTICATED"},
		{"rate limiting is 429", "busy", 429, "RESOURCE_EXHAUSTED"},
		{"bad input is 400 with field violations", "bad", 400, "INVALID_ARGUMENT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rr := do(h, http.MethodGet, "/v1/tickets/"+tc.id, "", nil)
			require.Equal(t, tc.wantHTTP, rr.Code, rr.Body.String())
			var body struct {
				Code    int               `json:"code"`
				Status  string            `json:"status"`
				Message string            `json:"message"`
				Details []json.RawMessage `json:"details"`
			}
			require.NoError(t, json.Unmarshal(rr.Body.Bytes(), &body))
			require.Equal(t, tc.wantStatus, body.Status)
			require.NotEmpty(t, body.Message)
			if tc.id == "bad" {
				require.Len(t, body.Details, 1)
				require.Contains(t, string(body.Details[0]), "location.latitude")
			}
		})
	}
}

func TestRequestsAreCheckedBeforeReachingTheService(t *testing.T) {
	t.Parallel()
	h, _ := newGateway(t, true)
	cases := []struct {
		name, body string
		want       int
	}{
		{"malformed JSON is refused", `{"description":`, 400},
		{"an unknown field is refused", `{"description":"x","colour":"red"}`, 400},
		{"a wrong type is refused", `{"description":42}`, 400},
		{"an unknown enum value is refused", `{"category":"CATEGORY_VOLCANO"}`, 400},
		{"a body over the limit is refused", `{"description":"` + strings.Repeat("a", 5000) + `"}`, 413},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rr := do(h, http.MethodPost, "/v1/tickets", tc.body, nil)
			require.Equal(t, tc.want, rr.Code, rr.Body.String())
		})
	}
}

func TestHeadersAreForwardedAndRequestIDReturned(t *testing.T) {
	t.Parallel()
	h, rec := newGateway(t, true)
	rr := do(h, http.MethodPost, "/v1/tickets", `{"description":"burst pipe"}`, map[string]string{
		"Authorization": "Bearer abc.def.ghi", "Idempotency-Key": "key-1", "X-Request-Id": "req-42",
	})
	require.Equal(t, 200, rr.Code, rr.Body.String())
	require.Equal(t, "req-42", rr.Header().Get("X-Request-Id"))
	rec.mu.Lock()
	md := rec.md
	rec.mu.Unlock()
	require.Equal(t, []string{"Bearer abc.def.ghi"}, md.Get("authorization"))
	require.Equal(t, []string{"key-1"}, md.Get("idempotency-key"))
	require.Equal(t, []string{"req-42"}, md.Get("x-request-id"))

	rr = do(h, http.MethodGet, "/v1/tickets/t-9", "", nil)
	require.Len(t, rr.Header().Get("X-Request-Id"), 36, "a request without an id gets a UUID")
}

func TestCORSAllowsOnlyConfiguredOrigins(t *testing.T) {
	t.Parallel()
	h, _ := newGateway(t, true)
	rr := do(h, http.MethodGet, "/v1/tickets/t-1", "", map[string]string{"Origin": "https://ops.example.org"})
	require.Equal(t, "https://ops.example.org", rr.Header().Get("Access-Control-Allow-Origin"))
	rr = do(h, http.MethodGet, "/v1/tickets/t-1", "", map[string]string{"Origin": "https://evil.example.com"})
	require.Empty(t, rr.Header().Get("Access-Control-Allow-Origin"))
}

func TestHealthEndpointsReflectTheServices(t *testing.T) {
	t.Parallel()
	up, _ := newGateway(t, true)
	require.Equal(t, 200, do(up, http.MethodGet, "/healthz", "", nil).Code)
	require.Equal(t, 200, do(up, http.MethodGet, "/readyz", "", nil).Code)
	down, _ := newGateway(t, false)
	require.Equal(t, 200, do(down, http.MethodGet, "/healthz", "", nil).Code)
	rr := do(down, http.MethodGet, "/readyz", "", nil)
	require.Equal(t, 503, rr.Code)
	require.Contains(t, rr.Body.String(), "NOT_SERVING")
}

func TestOpenAPIDocumentIsServedAndValid(t *testing.T) {
	t.Parallel()
	h, _ := newGateway(t, true)
	rr := do(h, http.MethodGet, "/openapi.json", "", nil)
	require.Equal(t, 200, rr.Code)
	require.JSONEq(t, string(openapi.Document), rr.Body.String())

	var doc2 openapi2.T
	require.NoError(t, json.Unmarshal(rr.Body.Bytes(), &doc2))
	doc3, err := openapi2conv.ToV3(&doc2)
	require.NoError(t, err)
	require.NoError(t, doc3.Validate(context.Background()))
	for _, p := range []string{"/v1/tickets", "/v1/teams", "/v1/municipalities/{code}", "/v1/sla/configs"} {
		require.NotNil(t, doc3.Paths.Find(p), "path %s is documented", p)
	}
}

func TestUnknownPathsAnswerInTheSameErrorShape(t *testing.T) {
	t.Parallel()
	h, _ := newGateway(t, true)
	rr := do(h, http.MethodGet, "/v1/nothing-here", "", nil)
	require.Equal(t, 404, rr.Code)
	require.Contains(t, rr.Body.String(), `"status":"NOT_FOUND"`)
}
