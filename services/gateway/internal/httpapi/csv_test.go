package httpapi_test

import (
	"context"
	"encoding/csv"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/services/gateway/internal/httpapi"
)

// fixedReports answers GetComplianceReport with two rows and a next page,
// and records the period asked, standing in for the SLA service so the
// gateway's formats can be checked in isolation.
type fixedReports struct {
	slav1.UnimplementedSlaServiceServer
	period chan string
}

func (f *fixedReports) GetComplianceReport(_ context.Context, req *slav1.GetComplianceReportRequest) (*slav1.GetComplianceReportResponse, error) {
	f.period <- req.GetPeriod()
	return &slav1.GetComplianceReportResponse{NextPageToken: "page-2", Rows: []*slav1.ComplianceReportRow{
		{Category: commonv1.Category_CATEGORY_ROADS, Tickets: 4, ResolutionMet: 2, ResolutionBreached: 2, ResolutionOnTimePct: proto.Float64(50)},
		{Category: commonv1.Category_CATEGORY_WATER, Tickets: 1},
	}}, nil
}

func reportsGateway(t *testing.T) (http.Handler, *fixedReports) {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer()
	f := &fixedReports{period: make(chan string, 10)}
	slav1.RegisterSlaServiceServer(srv, f)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	cc, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = cc.Close() })
	h, err := httpapi.New(context.Background(), httpapi.Backends{Ticket: cc, Routing: cc, SLA: cc, Notify: cc}, httpapi.Options{})
	require.NoError(t, err)
	return h, f
}

func TestAReportDownloadsAsCSVByAcceptOrFormatAndAsJSONOtherwise(t *testing.T) {
	t.Parallel()
	h, f := reportsGateway(t)
	for name, req := range map[string]struct {
		path   string
		accept string
	}{
		"Accept: text/csv": {"/v1/sla/reports/compliance?period=2026/27-Q1", "text/csv"},
		"format=csv":       {"/v1/sla/reports/compliance?period=2026/27-Q1&format=csv", ""},
	} {
		t.Run(name, func(t *testing.T) {
			rr := do(h, http.MethodGet, req.path, "", map[string]string{"Accept": req.accept})
			require.Equal(t, http.StatusOK, rr.Code, rr.Body.String())
			require.Equal(t, "2026/27-Q1", <-f.period, "format is not passed on as a parameter")
			require.Equal(t, "text/csv; charset=utf-8", rr.Header().Get("Content-Type"))
			require.Equal(t, "page-2", rr.Header().Get("X-Next-Page-Token"))
			recs, err := csv.NewReader(strings.NewReader(rr.Body.String())).ReadAll()
			require.NoError(t, err)
			require.Len(t, recs, 3)
			require.Equal(t, []string{"category", "ward_code", "team_id", "priority", "month", "day", "tickets", "cancelled",
				"responded", "response_met", "response_breached", "resolved", "resolution_met", "resolution_breached", "open",
				"response_on_time_pct", "resolution_on_time_pct", "suppressed"}, recs[0])
			require.Equal(t, []string{"roads", "4", "50"}, []string{recs[1][0], recs[1][6], recs[1][16]})
			require.Equal(t, "", recs[2][16], "no percentage without data")
		})
	}
	rr := do(h, http.MethodGet, "/v1/sla/reports/compliance?period=2026/27-Q1", "", nil)
	require.Equal(t, http.StatusOK, rr.Code)
	<-f.period
	require.Contains(t, rr.Header().Get("Content-Type"), "application/json")
	require.Contains(t, rr.Body.String(), `"next_page_token":"page-2"`)

	rr = do(h, http.MethodGet, "/v1/sla/reports/compliance?period=2026/27-Q1&format=xlsx", "", nil)
	require.Equal(t, http.StatusBadRequest, rr.Code, rr.Body.String())
	require.Contains(t, rr.Body.String(), "format")
}
