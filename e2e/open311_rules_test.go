package e2e

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// open311Errors checks the error rules: each bad request gets the status
// and [{code, description}] body the specification names, and files nothing.
func (s *suite) open311Errors(t *testing.T, key string) {
	with := func(f url.Values, k, v string) url.Values {
		out := url.Values{}
		for kk, vv := range f {
			out[kk] = vv
		}
		if v == "" {
			out.Del(k)
		} else {
			out.Set(k, v)
		}
		return out
	}
	good := report(key, "roads", eastPoint, "Pothole")
	tests := []struct {
		name   string
		method string
		path   string
		form   url.Values
		status int
	}{
		{"a list without jurisdiction_id is 400", http.MethodGet, "requests.json", nil, 400},
		{"services of an unknown jurisdiction are 404", http.MethodGet, "services.xml", url.Values{"jurisdiction_id": {"NOPE"}}, 404},
		{"a report without jurisdiction_id is 400", http.MethodPost, "requests.json", with(good, "jurisdiction_id", ""), 400},
		{"a report without api_key is 403", http.MethodPost, "requests.json", with(good, "api_key", ""), 403},
		{"a report with a bad api_key is 403, in XML too", http.MethodPost, "requests.xml", with(good, "api_key", "te_000000000000_"+strings.Repeat("A", 43)), 403},
		{"a report for an unknown jurisdiction is 404", http.MethodPost, "requests.json", with(good, "jurisdiction_id", "NOPE"), 404},
		{"a report with a key of another jurisdiction is 403", http.MethodPost, "requests.json", with(good, "jurisdiction_id", "OTB"), 403},
		{"a report with a latitude out of range is 400", http.MethodPost, "requests.json", with(good, "lat", "123"), 400},
		{"a report with a latitude that is not a number is 400", http.MethodPost, "requests.json", with(good, "lat", "north"), 400},
		{"a report outside South Africa is 400", http.MethodPost, "requests.json", with(with(good, "lat", "51.5"), "long", "-0.1"), 400},
		{"a report with only an address is 400 (no geocoding)", http.MethodPost, "requests.json",
			with(with(with(good, "lat", ""), "long", ""), "address_string", "1 Main Road"), 400},
		{"a description over 4000 characters is 400", http.MethodPost, "requests.json", with(good, "description", strings.Repeat("x", 4001)), 400},
		{"an unknown service_code is 400", http.MethodPost, "requests.json", with(good, "service_code", "parking"), 400},
		{"an attribute value outside the list is 400", http.MethodPost, "requests.json", with(good, "attribute[severity]", "extreme"), 400},
		{"a bad media_url is 400", http.MethodPost, "requests.json", with(good, "media_url", "ftp://x"), 400},
		{"an unknown request id is 404", http.MethodGet, "requests/6f1c1c4e-0000-4000-8000-000000000000.json", url.Values{"jurisdiction_id": {o311Tenant}}, 404},
		{"a start_date without a time zone is 400", http.MethodGet, "requests.json", url.Values{"jurisdiction_id": {o311Tenant}, "start_date": {"2026-01-01T00:00:00"}}, 400},
		{"an unknown status is 400", http.MethodGet, "requests.json", url.Values{"jurisdiction_id": {o311Tenant}, "status": {"pending"}}, 400},
		{"an unknown format is 404", http.MethodGet, "services.csv", url.Values{"jurisdiction_id": {o311Tenant}}, 404},
	}
	count := func() int {
		var n int
		require.NoError(t, s.db.QueryRow(context.Background(), `SELECT count(*) FROM ticket.tickets`).Scan(&n))
		return n
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := count()
			code, raw, _ := s.o311(tt.method, tt.path, tt.form)
			requireO311Error(t, tt.status, code, raw, strings.HasSuffix(tt.path, ".xml"))
			require.Equal(t, before, count(), "a refused request files nothing")
		})
	}
}

// open311Filters checks the query parameters of GET requests.{fmt}.
func (s *suite) open311Filters(t *testing.T, tc ticketv1.TicketServiceClient, key, waterID string) {
	ctx := context.Background()
	roadsID := s.file(t, report(key, "roads", eastPoint, "Pothole on the N2"))
	cancelledID := s.file(t, report(key, "waste", eastPoint, "Bins not collected"))
	_, err := tc.UpdateTicketStatus(ctx, &ticketv1.UpdateTicketStatusRequest{Id: cancelledID,
		Status: commonv1.TicketStatus_TICKET_STATUS_CANCELLED, Reason: "duplicate"})
	require.NoError(t, err)
	for vis, body := range map[ticketv1.NoteVisibility]string{
		ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC: "Crew on the way", ticketv1.NoteVisibility_NOTE_VISIBILITY_INTERNAL: "staff only",
	} {
		_, err := tc.AddTicketNote(ctx, &ticketv1.AddTicketNoteRequest{TicketId: waterID, Visibility: vis, Body: body})
		require.NoError(t, err)
	}
	// An old ticket, 100 days back: outside the default window of 90 days.
	oldID := s.file(t, report(key, "electricity", westPoint, "Street light out for months"))
	_, err = s.db.Exec(ctx, `UPDATE ticket.tickets SET create_time = now() - interval '100 days' WHERE id = $1`, oldID)
	require.NoError(t, err)

	now := time.Now()
	q := func(kv ...string) url.Values {
		v := url.Values{"jurisdiction_id": {o311Tenant}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name string
		q    url.Values
		want []string // ids in order (newest first)
	}{
		{"no filters give the last 90 days, newest first", q(), []string{cancelledID, roadsID, waterID}},
		{"a start_date further back includes the old request", q("start_date", now.Add(-200*24*time.Hour).Format(time.RFC3339)),
			[]string{cancelledID, roadsID, waterID, oldID}},
		{"an end_date before everything gives nothing", q("end_date", now.Add(-time.Hour).Format(time.RFC3339)), []string{}},
		{"a service_code filters by service", q("service_code", "roads"), []string{roadsID}},
		{"several service codes are a comma list", q("service_code", "roads,water"), []string{roadsID, waterID}},
		{"status closed finds the cancelled request", q("status", "closed"), []string{cancelledID}},
		{"status open finds the others", q("status", "open"), []string{roadsID, waterID}},
		{"service_request_id overrides the other filters and the window", q("service_request_id", waterID+","+oldID, "service_code", "roads", "status", "closed"),
			[]string{waterID, oldID}},
		{"updated_after in the future gives nothing", q("updated_after", now.Add(time.Hour).Format(time.RFC3339)), []string{}},
		{"updated_before in the future keeps everything in the window", q("updated_before", now.Add(time.Hour).Format(time.RFC3339)), []string{cancelledID, roadsID, waterID}},
		{"a radius around the west finds the west request only", q("lat", "-33.90", "long", "18.45", "radius", "2000"), []string{waterID}},
		{"page 2 of size 1 is the second newest", q("page", "2", "page_size", "1"), []string{roadsID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, raw, _ := s.o311(http.MethodGet, "requests.json", tt.q)
			require.Equal(t, 200, code, string(raw))
			requireValid(t, "requests.json", raw)
			rs := o311Requests(t, raw)
			require.Equal(t, tt.want, requestIDs(rs))
		})
	}
	t.Run("extensions add the detail and public notes only", func(t *testing.T) {
		code, raw, _ := s.o311(http.MethodGet, "requests/"+waterID+".json", q("extensions", "true"))
		require.Equal(t, 200, code, string(raw))
		requireValid(t, "requests.json", raw)
		r := o311Requests(t, raw)[0]
		ext := r["extended_attributes"].(map[string]any)
		require.Equal(t, "Water West", ext["team"])
		require.NotEmpty(t, ext["resolution_deadline"])
		require.Equal(t, false, ext["escalated"])
		notes := r["notes"].([]any)
		require.Len(t, notes, 1)
		require.Equal(t, "Crew on the way", notes[0].(map[string]any)["description"])
		require.NotContains(t, string(raw), "staff only")
		_, raw, _ = s.o311(http.MethodGet, "requests/"+waterID+".json", q())
		require.NotContains(t, string(raw), "extended_attributes")
	})
	t.Run("a cancelled request says why in status_notes", func(t *testing.T) {
		_, raw, _ := s.o311(http.MethodGet, "requests/"+cancelledID+".json", q())
		r := o311Requests(t, raw)[0]
		require.Equal(t, "closed", r["status"])
		require.Equal(t, "duplicate", r["status_notes"])
	})
}

// open311StaffTextOnly checks that of what people write on a ticket after
// reporting it, Open311 shows what staff wrote and nothing the citizen did:
// a citizen's public note (a phone number, a gate code) and their reason for
// withdrawing a report stay between them and the municipality.
func (s *suite) open311StaffTextOnly(t *testing.T, staff ticketv1.TicketServiceClient) {
	ctx := context.Background()
	const private = "Call me on 082 555 1234, the gate code is 4321"
	tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, s.token("citizen-ots", o311Tenant, "citizen")))
	report := func(desc string) string {
		created, err := tc.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_WATER,
			Description: desc, Location: westPoint})
		require.NoError(t, err)
		return created.GetTicket().GetId()
	}
	noted, withdrawn := report("Water meter leaking"), report("Hydrant open")
	for _, n := range []struct {
		by   ticketv1.TicketServiceClient
		body string
	}{{tc, private}, {staff, "Plumber booked for Monday"}} {
		_, err := n.by.AddTicketNote(ctx, &ticketv1.AddTicketNoteRequest{TicketId: noted, Body: n.body,
			Visibility: ticketv1.NoteVisibility_NOTE_VISIBILITY_PUBLIC})
		require.NoError(t, err)
	}
	_, err := tc.UpdateTicketStatus(ctx, &ticketv1.UpdateTicketStatusRequest{Id: withdrawn,
		Status: commonv1.TicketStatus_TICKET_STATUS_CANCELLED, Reason: private})
	require.NoError(t, err)

	q := url.Values{"jurisdiction_id": {o311Tenant}, "extensions": {"true"}}
	t.Run("a citizen's public note is not on Open311, staff's is", func(t *testing.T) {
		code, raw, _ := s.o311(http.MethodGet, "requests/"+noted+".json", q)
		require.Equal(t, 200, code, string(raw))
		requireValid(t, "requests.json", raw)
		notes := o311Requests(t, raw)[0]["notes"].([]any)
		require.Len(t, notes, 1)
		require.Equal(t, "Plumber booked for Monday", notes[0].(map[string]any)["description"])
	})
	t.Run("a citizen's reason for withdrawing a report is not either", func(t *testing.T) {
		code, raw, _ := s.o311(http.MethodGet, "requests/"+withdrawn+".json", q)
		require.Equal(t, 200, code, string(raw))
		r := o311Requests(t, raw)[0]
		require.Equal(t, "closed", r["status"])
		require.Nil(t, r["status_notes"])
	})
	t.Run("no Open311 answer carries the citizen's text", func(t *testing.T) {
		for _, path := range []string{"requests.json", "requests.xml", "requests/" + noted + ".xml", "requests/" + withdrawn + ".xml"} {
			code, raw, _ := s.o311(http.MethodGet, path, q)
			require.Equal(t, 200, code, string(raw))
			require.NotContains(t, string(raw), "4321", path)
		}
	})
	t.Run("the citizen still reads their note", func(t *testing.T) {
		r, err := tc.ListTicketNotes(ctx, &ticketv1.ListTicketNotesRequest{TicketId: noted})
		require.NoError(t, err)
		require.Len(t, r.GetNotes(), 2)
	})
}
