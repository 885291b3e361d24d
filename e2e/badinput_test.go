package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/structpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// ticketJSON is a valid create body with one member replaced by raw JSON.
func ticketJSON(member, raw string) string {
	m := map[string]string{"category": `"CATEGORY_WATER"`, "description": `"Leak"`, "location": `{"latitude":-33.9,"longitude":18.45}`}
	m[member] = raw
	parts := make([]string, 0, len(m))
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%q:%s", k, v))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// teamJSON is a create-team body for TST with the given service area.
func teamJSON(area string) string {
	return `{"tenant":"TST","name":"Bad area","category":"CATEGORY_ROADS","active":true,"service_area":` + area + `}`
}

// square3 is a valid area inside the test city.
const square3 = `{"type":"Polygon","coordinates":[[[18.45,-33.95],[18.5,-33.95],[18.5,-33.9],[18.45,-33.95]]]}`

// wardSetJSON is a boundary-set import for TST of one ward with the given
// effective time (raw JSON, empty for none), properties and area.
func wardSetJSON(effective, props, area string) string {
	body := `{"tenant":"TST","feature_collection":{"type":"FeatureCollection","features":[{"type":"Feature","properties":` +
		props + `,"geometry":` + area + `}]}`
	if effective != "" {
		body += `,"effective_time":` + effective
	}
	return body + `}`
}

// ringJSON renders n positions of a closed ring around the test city.
func ringJSON(n int) string {
	var b strings.Builder
	b.WriteString(`{"type":"Polygon","coordinates":[[`)
	for i := range n - 1 {
		a := 2 * math.Pi * float64(i) / float64(n-1)
		fmt.Fprintf(&b, "[%.7f,%.7f],", 18.5+0.05*math.Cos(a), -33.9+0.05*math.Sin(a))
	}
	b.WriteString(`[18.55,-33.9]]]}`)
	return b.String()
}

func TestBadInputGetsAClear4xxAndChangesNothing(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{extraEnv: append(append([]string{}, hostileEnv...), photoHostileEnv...), messaging: true})
	w := newWorld(t, s)
	ctx := context.Background()
	agent, admin := w.token("TST", "agent"), w.token("TST", "municipal_admin")
	id := w.water["TST"]
	code, key, _ := s.call("POST", "/v1/api-keys", admin, `{"client_name":"Hostile app"}`, nil)
	require.Equal(t, 200, code, "%v", key)
	before := s.snapshot(t)
	var ty tally

	bowtie := `{"type":"Polygon","coordinates":[[[18.45,-33.95],[18.55,-33.85],[18.55,-33.95],[18.45,-33.85],[18.45,-33.95]]]}`
	cases := []struct {
		name, method, path, token, body string
		want                            int
	}{
		{"malformed JSON", "POST", "/v1/tickets", agent, `{"category":`, 400},
		{"not JSON at all", "POST", "/v1/tickets", agent, `category=water`, 400},
		{"a JSON array instead of an object", "POST", "/v1/tickets", agent, `[]`, 400},
		{"a trailing comma", "POST", "/v1/tickets", agent, `{"category":"CATEGORY_WATER",}`, 400},
		{"an unknown field", "POST", "/v1/tickets", agent, ticketJSON("categroy", `"CATEGORY_WATER"`), 400},
		{"a number as the description", "POST", "/v1/tickets", agent, ticketJSON("description", `42`), 400},
		{"a string as the location", "POST", "/v1/tickets", agent, ticketJSON("location", `"Main Road"`), 400},
		{"a text latitude", "POST", "/v1/tickets", agent, ticketJSON("location", `{"latitude":"south","longitude":18.45}`), 400},
		{"a NaN latitude", "POST", "/v1/tickets", agent, ticketJSON("location", `{"latitude":"NaN","longitude":18.45}`), 400},
		{"an infinite longitude", "POST", "/v1/tickets", agent, ticketJSON("location", `{"latitude":-33.9,"longitude":"Infinity"}`), 400},
		{"a latitude of 91", "POST", "/v1/tickets", agent, ticketJSON("location", `{"latitude":91,"longitude":18.45}`), 400},
		{"a longitude of 200", "POST", "/v1/tickets", agent, ticketJSON("location", `{"latitude":-33.9,"longitude":200}`), 400},
		{"a point in Harare", "POST", "/v1/tickets", agent, ticketJSON("location", `{"latitude":-17.83,"longitude":31.05}`), 400},
		{"an unknown category name", "POST", "/v1/tickets", agent, ticketJSON("category", `"CATEGORY_SPACESHIP"`), 400},
		{"an unknown category number", "POST", "/v1/tickets", agent, ticketJSON("category", `99`), 400},
		{"an unknown channel", "POST", "/v1/tickets", agent, ticketJSON("channel", `"CHANNEL_PIGEON"`), 400},
		{"a NUL byte in the description", "POST", "/v1/tickets", agent, ticketJSON("description", `"leak\u0000; drop table ticket.tickets"`), 400},
		{"a phone that is not E.164 after normalising", "POST", "/v1/tickets", agent, ticketJSON("reporter", `{"phone":"082 123 456"}`), 400},
		{"an SMS preference without a phone", "POST", "/v1/tickets", agent, ticketJSON("reporter_preferences", `{"channels":["CONTACT_CHANNEL_SMS"]}`), 400},
		{"a GBV safe channel on a water report", "POST", "/v1/tickets", agent, ticketJSON("reporter_preferences", `{"gbv_safe_channel":"CONTACT_CHANNEL_EMAIL"}`), 400},
		{"a template with an unknown placeholder", "POST", "/v1/notify/templates", admin,
			`{"audience":"AUDIENCE_REPORTER","event_kind":"EVENT_KIND_CREATED","language":"LANGUAGE_EN","body":"{{.Description}}"}`, 400},
		{"a template with bad syntax", "POST", "/v1/notify/templates", admin,
			`{"audience":"AUDIENCE_REPORTER","event_kind":"EVENT_KIND_CREATED","language":"LANGUAGE_EN","body":"{{if .Team}}x"}`, 400},
		{"a template for GBV", "POST", "/v1/notify/templates", admin,
			`{"audience":"AUDIENCE_REPORTER","category":"CATEGORY_GBV","event_kind":"EVENT_KIND_CREATED","language":"LANGUAGE_EN","body":"{{.Reference}}"}`, 400},
		{"a webhook over http", "PUT", "/v1/notify/team-channels/" + w.teams["TST"].roads, admin,
			`{"webhook_url":"http://ops.example.org/hook","webhook_secret":"` + strings.Repeat("s", 40) + `"}`, 400},
		{"an unsigned Twilio webhook", "POST", "/notify/webhooks/TST/twilio", "", `MessageSid=SM1&MessageStatus=delivered`, 401},
		{"an unsubscribe link not signed by notify", "POST", "/notify/unsubscribe?tenant=TST&message=6b1f0d1e-8c59-4b8e-a1ad-1c1f9d6c2a10&sig=00", "", "", 403},
		{"a bell character in the address", "POST", "/v1/tickets", agent, ticketJSON("address", `"12 Main\u0007Road"`), 400},
		{"SQL as the reporter phone", "POST", "/v1/tickets", agent, ticketJSON("reporter", `{"phone":"'; drop table ticket.tickets; --"}`), 400},
		{"SQL as the reporter email", "POST", "/v1/tickets", agent, ticketJSON("reporter", `{"email":"a@b.co' OR '1'='1"}`), 400},
		{"a 5000-character description", "POST", "/v1/tickets", agent, ticketJSON("description", `"`+strings.Repeat("a", 5000)+`"`), 400},
		{"a body over the 1 MiB limit", "POST", "/v1/tickets", agent, ticketJSON("description", `"`+strings.Repeat("a", 2<<20)+`"`), 413},
		{"an unknown status", "POST", "/v1/tickets/" + id + ":updateStatus", agent, `{"status":"TICKET_STATUS_TELEPORTED"}`, 400},
		{"a ticket id that is SQL", "GET", "/v1/tickets/" + url.PathEscape("1' OR '1'='1"), agent, "", 400},
		{"an unknown status filter", "GET", "/v1/tickets?statuses=TICKET_STATUS_LOST", agent, "", 400},
		{"a page size that is text", "GET", "/v1/tickets?page_size=all", agent, "", 400},
		{"a forged page token", "GET", "/v1/tickets?page_token=" + url.QueryEscape("' OR 1=1 --"), agent, "", 400},
		{"a bbox upside down", "GET", "/v1/tickets?bbox.min_latitude=-33&bbox.max_latitude=-34&bbox.min_longitude=18&bbox.max_longitude=19", agent, "", 400},
		{"an empty note", "POST", "/v1/tickets/" + id + "/notes", agent, `{"visibility":"NOTE_VISIBILITY_PUBLIC","body":""}`, 400},
		{"a self-intersecting service area", "POST", "/v1/teams", admin, teamJSON(bowtie), 400},
		{"an unclosed ring", "POST", "/v1/teams", admin, teamJSON(`{"type":"Polygon","coordinates":[[[18.45,-33.95],[18.55,-33.95],[18.55,-33.85],[18.45,-33.85]]]}`), 400},
		{"a ring of three positions", "POST", "/v1/teams", admin, teamJSON(`{"type":"Polygon","coordinates":[[[18.45,-33.95],[18.55,-33.95],[18.45,-33.95]]]}`), 400},
		{"nested geometry collections", "POST", "/v1/teams", admin, teamJSON(`{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection","geometries":[` + bowtie + `]}]}`), 400},
		{"a point as an area", "POST", "/v1/teams", admin, teamJSON(`{"type":"Point","coordinates":[18.5,-33.9]}`), 400},
		{"text coordinates", "POST", "/v1/teams", admin, teamJSON(`{"type":"Polygon","coordinates":[[["a","b"],["c","d"],["e","f"],["a","b"]]]}`), 400},
		{"an area in another CRS", "POST", "/v1/teams", admin, teamJSON(`{"type":"Polygon","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`), 400},
		{"an area outside the municipality", "POST", "/v1/teams", admin, teamJSON(`{"type":"Polygon","coordinates":[[[28,-26],[28.1,-26],[28.1,-25.9],[28,-26]]]}`), 400},
		{"a million vertices over HTTP", "POST", "/v1/teams", admin, teamJSON(ringJSON(1_000_000)), 413},
		{"a team name with a NUL byte", "POST", "/v1/teams", admin, `{"tenant":"TST","name":"Roads\u0000","category":"CATEGORY_ROADS","active":true}`, 400},
		{"an unknown team category", "POST", "/v1/teams", admin, `{"tenant":"TST","name":"X","category":"CATEGORY_DRAGONS","active":true}`, 400},
		{"a nearby radius over 5 km", "GET", "/v1/tickets:nearby?category=CATEGORY_WATER&radius_meters=5001&location.latitude=-33.9&location.longitude=18.45", agent, "", 400},
		{"a negative nearby radius", "GET", "/v1/tickets:nearby?category=CATEGORY_WATER&radius_meters=-1&location.latitude=-33.9&location.longitude=18.45", agent, "", 400},
		{"a nearby query without a point", "GET", "/v1/tickets:nearby?category=CATEGORY_WATER", agent, "", 400},
		{"a nearby page of 51", "GET", "/v1/tickets:nearby?category=CATEGORY_WATER&page_size=51&location.latitude=-33.9&location.longitude=18.45", agent, "", 400},
		{"a ticket linked to itself", "POST", "/v1/tickets/" + id + ":linkDuplicate", agent, `{"parent_id":"` + id + `"}`, 400},
		{"a link to a parent that is SQL", "POST", "/v1/tickets/" + id + ":linkDuplicate", agent, `{"parent_id":"' OR 1=1 --"}`, 400},
		{"a link to a GBV ticket, as for a missing id", "POST", "/v1/tickets/" + id + ":linkDuplicate", agent, `{"parent_id":"` + w.gbvCitizen + `"}`, 404},
		{"a link across municipalities", "POST", "/v1/tickets/" + id + ":linkDuplicate", agent, `{"parent_id":"` + w.water["OTH"] + `"}`, 404},
		{"an unlink of a ticket that is no duplicate", "POST", "/v1/tickets/" + id + ":unlinkDuplicate", agent, `{}`, 409},
		{"an unknown priority", "POST", "/v1/tickets/" + id + ":setPriority", agent, `{"priority":"PRIORITY_P0_APOCALYPSE","reason":"x"}`, 400},
		{"a priority change without a reason", "POST", "/v1/tickets/" + id + ":setPriority", agent, `{"priority":"PRIORITY_P1_CRITICAL"}`, 400},
		{"a citizen's priority", "POST", "/v1/tickets", w.token("TST", "citizen"), ticketJSON("priority", `"PRIORITY_P1_CRITICAL"`), 403},
		{"a nearby radius for GBV", "POST", "/v1/duplicate-settings", admin, `{"settings":{"radii":[{"category":"CATEGORY_GBV","resident_meters":100}]}}`, 400},
		{"a one-letter priority keyword", "POST", "/v1/duplicate-settings", admin, `{"settings":{"keywords":[{"phrase":"x","priority":"PRIORITY_P1_CRITICAL"}]}}`, 400},
		{"a boundary set without an effective time", "POST", "/v1/boundary-sets:import", admin, wardSetJSON(``, `{"WARD":"1"}`, square3), 400},
		{"a boundary set ward without its code", "POST", "/v1/boundary-sets:import", admin, wardSetJSON(`"2016-08-03T00:00:00Z"`, `{"WARDNO":1}`, square3), 400},
		{"a boundary set ward with no area once repaired", "POST", "/v1/boundary-sets:import", admin,
			wardSetJSON(`"2016-08-03T00:00:00Z"`, `{"WARD":"1"}`, `{"type":"Polygon","coordinates":[[[18.45,-33.95],[18.5,-33.95],[18.55,-33.95],[18.45,-33.95]]]}`), 400},
		{"a boundary set absorbing a municipality, from a municipal admin", "POST", "/v1/boundary-sets:import", admin,
			strings.Replace(wardSetJSON(`"2016-08-03T00:00:00Z"`, `{"WARD":"1"}`, square3), `{`, `{"merged_from":["OTH"],`, 1), 403},
		{"GBV teams built from wards", "POST", "/v1/boundary-sets:import", admin,
			strings.Replace(wardSetJSON(`"2016-08-03T00:00:00Z"`, `{"WARD":"1"}`, square3), `{`, `{"team_category":"CATEGORY_GBV",`, 1), 400},
		{"coverage without a category", "GET", "/v1/coverage", agent, "", 400},
	}
	for _, tc := range cases {
		code, body, _ := s.call(tc.method, tc.path, tc.token, tc.body, nil)
		ty.http(t, tc.name, code, body, tc.want)
		if code == 400 {
			require.NotEmpty(t, body["message"], "%s: a 400 says what is wrong", tc.name)
		}
	}
	// Webhooks signed wrongly: another token, or a body changed after signing.
	stop := url.Values{"AccountSid": {twilioSID}, "MessageSid": {"SMx"}, "From": {"+27825550300"}, "Body": {"STOP"}}
	ty.http(t, "a Twilio STOP signed with another token", s.twilioPostSignedAs("TST", stop, "guessed-token"), nil, 403)
	u := s.gatewayURL + "/notify/webhooks/TST/twilio"
	code, body, _ := s.call("POST", "/notify/webhooks/TST/twilio", "", stop.Encode()+"&Extra=1", map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilioSignature(u, stop)})
	ty.http(t, "a Twilio STOP changed after signing", code, body, 403)

	// Over gRPC the routing service takes 64 MB, so a million vertices
	// arrive; they must be refused as bad input by the vertex limit, before
	// any geometry work in PostGIS (asserted by the rule named, not by a
	// timer: timings on a shared 2-core machine prove nothing).
	rc := w.routing("TST", "municipal_admin")
	million := map[string]any{}
	require.NoError(t, json.Unmarshal([]byte(ringJSON(1_000_000)), &million))
	huge := &routingv1.CreateTeamRequest{Team: &routingv1.Team{Tenant: "TST", Name: "Huge", Category: commonv1.Category_CATEGORY_ROADS,
		Active: true, ServiceArea: mustStruct(t, million)}}
	_, err := rc.CreateTeam(ctx, huge)
	ty.grpc(t, "gRPC a million vertices", err, codes.InvalidArgument)
	require.ErrorContains(t, err, "at most 200000 positions")
	importsBadInput(ctx, t, w, &ty, admin)
	tc := w.ticket("TST", "agent")
	for name, req := range map[string]*ticketv1.CreateTicketRequest{
		"gRPC a NaN latitude":          {Category: commonv1.Category_CATEGORY_WATER, Description: "x", Location: &commonv1.LatLng{Latitude: math.NaN(), Longitude: 18.45}},
		"gRPC an unknown category":     {Category: commonv1.Category(99), Description: "x", Location: westPoint},
		"gRPC an unknown channel":      {Category: commonv1.Category_CATEGORY_WATER, Description: "x", Location: westPoint, Channel: ticketv1.Channel(42)},
		"gRPC a 10 MB description":     {Category: commonv1.Category_CATEGORY_WATER, Description: strings.Repeat("x", 10<<20), Location: westPoint},
		"gRPC a description of spaces": {Category: commonv1.Category_CATEGORY_WATER, Description: "   \n\t ", Location: westPoint},
	} {
		_, err := tc.CreateTicket(ctx, req)
		ty.grpc(t, name, err, codes.InvalidArgument)
	}

	s.hostilePhotos(t, w, &ty, key["key"].(string))

	changed := changedTables(before, s.snapshot(t))
	line := ty.report(t, "bad input", len(changed))
	require.Empty(t, changed, line)
	require.Zero(t, ty.accepted, line)
	s.polyglotIsStoredClean(t, w)

	// SQL meta-characters are legitimate text in descriptions, addresses
	// and names: they are stored verbatim and searched literally, never run.
	hostile := `O'Brien's "pipe"; drop table ticket.tickets; -- 100% _leak_ C:\\temp`
	created, err := tc.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_WATER,
		Description: hostile, Address: hostile, Reporter: &ticketv1.Reporter{Name: hostile}, Location: westPoint})
	require.NoError(t, err)
	got, err := tc.GetTicket(ctx, &ticketv1.GetTicketRequest{Id: created.GetTicket().GetId()})
	require.NoError(t, err)
	require.Equal(t, hostile, got.GetTicket().GetDescription())
	require.Equal(t, hostile, got.GetTicket().GetAddress())
	for _, q := range []string{"%", "_", `\`, "'", "100% _leak_", "' OR '1'='1"} {
		code, body, _ := s.call("GET", "/v1/tickets?query="+url.QueryEscape(q), agent, "", nil)
		require.Equal(t, 200, code, "query %q: %v", q, body)
		tickets, _ := body["tickets"].([]any) // omitted when empty
		n := len(tickets)
		if q == "' OR '1'='1" {
			require.Zero(t, n, "a quoted OR is searched literally")
		} else {
			require.Equal(t, 1, n, "query %q matches only the ticket that holds it literally", q)
		}
	}
}

// mustStruct converts decoded JSON to a protobuf Struct.
func mustStruct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	st, err := structpb.NewStruct(m)
	require.NoError(t, err)
	return st
}
