package e2e

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// getCSV fetches path through the gateway with token and the Accept header,
// and parses the answer as a spreadsheet would.
func (s *suite) getCSV(t *testing.T, path, token, accept string) [][]string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.gatewayURL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := httpClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, path)
	require.Equal(t, "text/csv; charset=utf-8", resp.Header.Get("Content-Type"), path)
	recs, err := csv.NewReader(resp.Body).ReadAll()
	require.NoError(t, err, path)
	return recs
}

// TestIndicatorsAndReportsDownloadThroughTheGatewayAsTheReadmeShows follows
// the README's reports example on the running suite: the catalogue, one
// indicator, every indicator of the month and the compliance report by
// category and ward as CSV (by ?format=csv and by Accept), and the public
// figures without a token.
func TestIndicatorsAndReportsDownloadThroughTheGatewayAsTheReadmeShows(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{})
	w := newWorld(t, s)
	ctx := context.Background()
	// The water ticket is answered, so GG2.31 has one responded complaint.
	_, err := w.ticket("TST", "agent").UpdateTicketStatus(ctx, &ticketv1.UpdateTicketStatusRequest{Id: w.water["TST"],
		Status: commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, Reason: "crew on site"})
	require.NoError(t, err)
	month := time.Now().In(time.FixedZone("SAST", 2*3600)).Format("2006-01")
	admin := w.token("TST", "municipal_admin")

	code, body, _ := s.call("GET", "/v1/sla/indicators", admin, "", nil)
	require.Equal(t, 200, code, "%v", body)
	require.Len(t, body["indicators"], 5)

	s.eventually(20*time.Second, "the response reaches the indicators", func() (bool, string) {
		code, body, _ := s.call("GET", "/v1/sla/indicators/GG2.31?period="+month, admin, "", nil)
		v, _ := body["value"].(map[string]any)
		return code == 200 && v["numerator"] == "1" && v["denominator"] == "1", fmt.Sprint(body)
	})
	code, body, _ = s.call("GET", "/v1/sla/indicators/GG2.31/tickets?period="+month, admin, "", nil)
	require.Equal(t, 200, code, "%v", body)
	tickets, _ := body["tickets"].([]any)
	require.Len(t, tickets, 1, "the drill-down names the water ticket, no GBV one")
	require.Equal(t, w.water["TST"], tickets[0].(map[string]any)["ticket_id"])
	code, body, _ = s.call("GET", "/v1/sla/indicators/WS3.11?period="+month, admin, "", nil)
	require.Equal(t, 200, code, "%v", body)
	require.Equal(t, "INDICATOR_STATUS_NO_DATA", body["value"].(map[string]any)["status"], "no sanitation ticket: no data, not 0 %%")
	require.NotContains(t, body["value"], "percentage")

	recs := s.getCSV(t, "/v1/sla/indicators:compute?period="+month+"&format=csv", admin, "")
	require.Equal(t, []string{"code", "tenant", "period", "period_start", "period_end", "ward_code", "team_id", "priority", "month",
		"numerator", "denominator", "percentage", "status", "pending"}, recs[0])
	require.Len(t, recs, 6, "a header and the five indicators")
	rows := map[string][]string{}
	for _, r := range recs[1:] {
		rows[r[0]] = r
	}
	require.Equal(t, []string{"1", "1", "100"}, rows["GG2.31"][9:12])
	require.Equal(t, []string{"0", "0", "", "no_data"}, rows["WS3.11"][9:13])

	path := "/v1/sla/reports/compliance?period=" + month + "&group_by=REPORT_DIMENSION_CATEGORY&group_by=REPORT_DIMENSION_WARD"
	for _, how := range []struct{ suffix, accept string }{{"&format=csv", ""}, {"", "text/csv"}} {
		recs = s.getCSV(t, path+how.suffix, admin, how.accept)
		require.Equal(t, "category", recs[0][0])
		require.Equal(t, "suppressed", recs[0][len(recs[0])-1])
		var cats []string
		for _, r := range recs[1:] {
			cats = append(cats, r[0])
		}
		require.Equal(t, []string{"water"}, cats, "the admin's report counts no GBV")
	}

	code, body, _ = s.call("GET", "/public/v1/aggregates?jurisdiction_id=TST&period="+month, "", "", nil)
	require.Equal(t, 200, code, "%v", body)
	require.Len(t, body["rows"], 1)
	code, _, _ = s.call("GET", "/public/v1/aggregates?jurisdiction_id=TST&period=2026-13", "", "", nil)
	require.Equal(t, 400, code, "a month that does not exist")
}

// TestARoutedTicketCountsUnderItsTeamAndWardUntilReassigned: a ticket is
// created before routing assigns it, so its team and ward reach SLA's
// reports with the assignment itself. A ticket routed and never touched
// again shows under its team and ward in the report by team; a
// reassignment moves it.
func TestARoutedTicketCountsUnderItsTeamAndWardUntilReassigned(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{})
	teams := s.seedCity(t, "TST")
	ctx := context.Background()
	admin := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, s.token("admin-tst", "TST", "municipal_admin")))
	ward := func(code string, minLng, maxLng float64) map[string]any {
		return map[string]any{"type": "Feature", "properties": map[string]any{"WARD": code},
			"geometry": square(cityMinLat, minLng, cityMaxLat, maxLng).AsMap()}
	}
	fc, err := structpb.NewStruct(map[string]any{"type": "FeatureCollection", "features": []any{
		ward("19900001", cityMinLng, splitLng), ward("19900002", splitLng, cityMaxLng)}})
	require.NoError(t, err)
	_, err = admin.ImportBoundarySet(ctx, &routingv1.ImportBoundarySetRequest{EffectiveTime: timestamppb.New(time.Now().Add(-time.Hour)),
		FeatureCollection: fc, Source: "test wards"})
	require.NoError(t, err)

	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("citizen-tst", "TST", "citizen")))
	created, err := tc.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_WATER,
		Description: "Burst pipe, routed and left alone", Location: westPoint})
	require.NoError(t, err)
	id := created.GetTicket().GetId()
	got := s.waitRoutedAndClocked(ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("agent-tst", "TST", "agent"))), id)
	require.Equal(t, teams.westWater, got.GetAssignedTeamId())
	require.Equal(t, "19900001", got.GetWardCode())

	month := time.Now().In(time.FixedZone("SAST", 2*3600)).Format("2006-01")
	manager := s.token("manager-tst", "TST", "municipal_admin")
	byTeam := func() string {
		code, body, _ := s.call("GET", "/v1/sla/reports/compliance?period="+month+
			"&group_by=REPORT_DIMENSION_TEAM&group_by=REPORT_DIMENSION_WARD", manager, "", nil)
		require.Equal(t, 200, code, "%v", body)
		var cells []string
		rows, _ := body["rows"].([]any)
		for _, r := range rows {
			m := r.(map[string]any)
			cells = append(cells, fmt.Sprintf("%v %v %v", m["team_id"], m["ward_code"], m["tickets"]))
		}
		return fmt.Sprint(cells)
	}
	want := fmt.Sprint([]string{teams.westWater + " 19900001 1"})
	s.eventually(20*time.Second, "the routed ticket counts under its team and ward", func() (bool, string) {
		got := byTeam()
		return got == want, got
	})

	rc := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, manager))
	_, err = rc.ReassignTicket(ctx, &routingv1.ReassignTicketRequest{TicketId: id, TeamId: teams.eastWater, Note: "east crew is free"})
	require.NoError(t, err)
	want = fmt.Sprint([]string{teams.eastWater + " 19900001 1"})
	s.eventually(20*time.Second, "the reassignment moves it; the ward stays", func() (bool, string) {
		got := byTeam()
		return got == want, got
	})
}
