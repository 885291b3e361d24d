package e2e

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// o311Tenant is the jurisdiction of the Open311 tests.
const o311Tenant = "OTS"

// issueKey has the tenant's municipal admin issue an API key through the
// gateway's JSON API, as an operator would.
func (s *suite) issueKey(t *testing.T) string {
	t.Helper()
	admin := s.token("admin-ots", o311Tenant, "municipal_admin")
	code, body, _ := s.call("POST", "/v1/api-keys", admin, `{"client_name":"Civic App"}`, nil)
	require.Equal(t, 200, code, body)
	key, _ := body["key"].(string)
	require.True(t, strings.HasPrefix(key, "te_"), body)
	return key
}

// report is a valid Open311 report at a point of the test city.
func report(key, code string, p *commonv1.LatLng, desc string) url.Values {
	return url.Values{"jurisdiction_id": {o311Tenant}, "api_key": {key}, "service_code": {code},
		"lat": {fmt.Sprint(p.GetLatitude())}, "long": {fmt.Sprint(p.GetLongitude())}, "description": {desc},
		"first_name": {"Thandi"}, "last_name": {"M"}, "email": {"thandi@example.org"},
		"attribute[severity]": {"high"}}
}

// file posts a report and returns its service_request_id.
func (s *suite) file(t *testing.T, form url.Values) string {
	t.Helper()
	code, raw, _ := s.o311(http.MethodPost, "requests.json", form)
	require.Equal(t, 200, code, string(raw))
	rs := o311Requests(t, raw)
	require.Len(t, rs, 1)
	require.Len(t, rs[0], 1, "the receipt carries the id and nothing else")
	return rs[0]["service_request_id"].(string)
}

func TestOpen311FilesAndFollowsTicketsToTheSpecification(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{extraEnv: []string{"GATEWAY_CLIENT_RATE=0", "GATEWAY_TENANT_RATE=0"}})
	s.seedCity(t, o311Tenant)
	s.seedCity(t, "OTB") // a second jurisdiction, for keys used in the wrong one
	key := s.issueKey(t)
	jur := url.Values{"jurisdiction_id": {o311Tenant}}

	t.Run("discovery lists this endpoint in JSON and XML", func(t *testing.T) {
		code, raw, ctype := s.o311(http.MethodGet, "discovery.json", nil)
		require.Equal(t, 200, code, string(raw))
		require.Contains(t, ctype, "application/json")
		require.Contains(t, string(raw), `"specification":"http://wiki.open311.org/GeoReport_v2"`)
		code, raw, ctype = s.o311(http.MethodGet, "discovery.xml", nil)
		require.Equal(t, 200, code)
		require.Contains(t, ctype, "text/xml")
		var d struct {
			XMLName   xml.Name `xml:"discovery"`
			Endpoints []struct {
				URL     string   `xml:"url"`
				Formats []string `xml:"formats>format"`
			} `xml:"endpoints>endpoint"`
		}
		require.NoError(t, xml.Unmarshal(raw, &d), string(raw))
		require.Len(t, d.Endpoints, 1)
		require.Equal(t, s.gatewayURL+"/open311/v2", d.Endpoints[0].URL)
		require.ElementsMatch(t, []string{"text/xml", "application/json"}, d.Endpoints[0].Formats)
	})
	t.Run("services are the categories without GBV, valid against the schema", func(t *testing.T) {
		code, raw, _ := s.o311(http.MethodGet, "services.json", jur)
		require.Equal(t, 200, code, string(raw))
		requireValid(t, "services.json", raw)
		for _, c := range []string{"water", "roads", "electricity", "waste", "sanitation", "other"} {
			require.Contains(t, string(raw), `"service_code":"`+c+`"`)
		}
		require.NotContains(t, strings.ToLower(string(raw)), "gbv")
		require.NotContains(t, strings.ToLower(string(raw)), "gender")
		code, raw, _ = s.o311(http.MethodGet, "services.xml", jur)
		require.Equal(t, 200, code)
		var doc struct {
			XMLName  xml.Name `xml:"services"`
			Services []struct {
				Code string `xml:"service_code"`
				Type string `xml:"type"`
			} `xml:"service"`
		}
		require.NoError(t, xml.Unmarshal(raw, &doc), string(raw))
		require.Len(t, doc.Services, 6)
		require.Equal(t, "realtime", doc.Services[0].Type)
	})
	t.Run("a service definition lists its attributes and GBV has none to show", func(t *testing.T) {
		code, raw, _ := s.o311(http.MethodGet, "services/water.json", jur)
		require.Equal(t, 200, code, string(raw))
		requireValid(t, "service-definition.json", raw)
		require.Contains(t, string(raw), `"code":"severity"`)
		code, raw, _ = s.o311(http.MethodGet, "services/water.xml", jur)
		require.Equal(t, 200, code)
		var def struct {
			XMLName xml.Name `xml:"service_definition"`
			Keys    []string `xml:"attributes>attribute>values>value>key"`
		}
		require.NoError(t, xml.Unmarshal(raw, &def), string(raw))
		require.Equal(t, []string{"low", "medium", "high"}, def.Keys)
		code, raw, _ = s.o311(http.MethodGet, "services/gbv.json", jur)
		requireO311Error(t, 404, code, raw, false)
	})

	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("agent-ots", o311Tenant, "agent")))
	waterID := s.file(t, report(key, "water", westPoint, "Burst pipe on Main Road"))

	t.Run("a filed report is routed and clocked and shows its expected_datetime", func(t *testing.T) {
		var r map[string]any
		s.eventually(20*time.Second, "Open311 request routed and clocked", func() (bool, string) {
			code, raw, _ := s.o311(http.MethodGet, "requests/"+waterID+".json", jur)
			if code != 200 {
				return false, string(raw)
			}
			requireValid(t, "requests.json", raw)
			rs := o311Requests(t, raw)
			require.Len(t, rs, 1)
			r = rs[0]
			return r["agency_responsible"] != nil && r["expected_datetime"] != nil, string(raw)
		})
		require.Equal(t, "Water West", r["agency_responsible"])
		require.Equal(t, "open", r["status"])
		require.Equal(t, "water", r["service_code"])
		require.Nil(t, r["media_url"], "no photo staff made public (photos_test.go follows one)")
		require.InDelta(t, westPoint.GetLatitude(), r["lat"], 1e-9)
		for _, f := range []string{"requested_datetime", "updated_datetime", "expected_datetime"} {
			require.True(t, strings.HasSuffix(r[f].(string), "+02:00"), "%s=%v", f, r[f])
		}
		got, err := tc.GetTicket(context.Background(), &ticketv1.GetTicketRequest{Id: waterID})
		require.NoError(t, err)
		require.Equal(t, ticketv1.Channel_CHANNEL_OPEN311, got.GetTicket().GetChannel())
		expected, err := time.Parse(time.RFC3339, r["expected_datetime"].(string))
		require.NoError(t, err)
		require.True(t, expected.Equal(got.GetTicket().GetResolutionDeadline().AsTime().Truncate(time.Second)))
	})
	t.Run("a request reads the same in XML", func(t *testing.T) {
		code, raw, ctype := s.o311(http.MethodGet, "requests/"+waterID+".xml", jur)
		require.Equal(t, 200, code, string(raw))
		require.Contains(t, ctype, "text/xml")
		var doc struct {
			XMLName  xml.Name `xml:"service_requests"`
			Requests []struct {
				ID       string  `xml:"service_request_id"`
				Status   string  `xml:"status"`
				Expected string  `xml:"expected_datetime"`
				Agency   string  `xml:"agency_responsible"`
				Lat      float64 `xml:"lat"`
			} `xml:"request"`
		}
		require.NoError(t, xml.Unmarshal(raw, &doc), string(raw))
		require.Len(t, doc.Requests, 1)
		require.Equal(t, waterID, doc.Requests[0].ID)
		require.Equal(t, "Water West", doc.Requests[0].Agency)
		_, err := time.Parse(time.RFC3339, doc.Requests[0].Expected)
		require.NoError(t, err)
	})
	t.Run("a GBV report is accepted, sealed and never shown", func(t *testing.T) {
		gbvID := s.file(t, report(key, "gbv", westPoint, "confidential report"))
		code, raw, _ := s.o311(http.MethodGet, "requests/"+gbvID+".json", jur)
		requireO311Error(t, 404, code, raw, false)
		q := url.Values{"jurisdiction_id": {o311Tenant}, "service_request_id": {gbvID + "," + waterID}}
		code, raw, _ = s.o311(http.MethodGet, "requests.json", q)
		require.Equal(t, 200, code)
		require.Equal(t, []string{waterID}, requestIDs(o311Requests(t, raw)))
		for _, path := range []string{"requests.json", "requests.xml"} {
			_, raw, _ = s.o311(http.MethodGet, path, url.Values{"jurisdiction_id": {o311Tenant}, "service_code": {"gbv"}})
			require.NotContains(t, string(raw), gbvID)
			_, raw, _ = s.o311(http.MethodGet, path, url.Values{"jurisdiction_id": {o311Tenant}, "extensions": {"true"}})
			require.NotContains(t, string(raw), gbvID)
		}
		var sealed int
		require.NoError(t, s.db.QueryRow(context.Background(), `SELECT count(*) FROM ticket.tickets WHERE id = $1
			AND sealed IS NOT NULL AND description = '' AND reporter_email = '' AND media_url = ''`, gbvID).Scan(&sealed))
		require.Equal(t, 1, sealed)
		saps := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("saps-ots", o311Tenant, "saps_liaison")))
		got := s.waitRoutedAndClocked(saps, gbvID)
		require.Equal(t, "SAPS Liaison", got.GetAssignedTeamName())
		require.Contains(t, got.GetDescription(), "confidential report")
	})
	t.Run("a retried report with the same Idempotency-Key files one ticket; another report with it is 409", func(t *testing.T) {
		post := func(desc string) (int, []byte) {
			req, err := http.NewRequest(http.MethodPost, s.gatewayURL+"/open311/v2/requests.json",
				strings.NewReader(report(key, "water", eastPoint, desc).Encode()))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Idempotency-Key", "o311-retry-1")
			resp, err := httpClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			raw, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			return resp.StatusCode, raw
		}
		id := func(code int, raw []byte) string {
			require.Equal(t, 200, code, string(raw))
			return o311Requests(t, raw)[0]["service_request_id"].(string)
		}
		first := id(post("Leak at the clinic"))
		require.Equal(t, first, id(post("Leak at the clinic")))
		code, raw := post("A different leak")
		requireO311Error(t, 409, code, raw, false)
		require.Contains(t, string(raw), "idempotency_key was already used for a different request")
		// Out of the way of the filter tests, which count what they find.
		_, err := tc.UpdateTicketStatus(context.Background(), &ticketv1.UpdateTicketStatusRequest{Id: first,
			Status: commonv1.TicketStatus_TICKET_STATUS_CANCELLED, Reason: "test retry"})
		require.NoError(t, err)
		_, err = s.db.Exec(context.Background(), `UPDATE ticket.tickets SET create_time = now() - interval '1 year' WHERE id = $1`, first)
		require.NoError(t, err)
	})
	s.open311Errors(t, key)
	s.open311Filters(t, tc, key, waterID)
	s.open311StaffTextOnly(t, tc)
}
