package open311

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// Limits of GET requests: the specification's default window and cap.
const (
	// DefaultWindow is how far back a query without dates looks.
	DefaultWindow = 90 * 24 * time.Hour
	// MaxRequests is the most requests one response carries.
	MaxRequests = 1000
	// maxRadius is the largest radius extension, in metres.
	maxRadius = 100000
)

// badRequest is input the client must fix; it becomes a 400.
type badRequest struct{ msg string }

func (e badRequest) Error() string { return e.msg }

func invalid(format string, args ...any) error { return badRequest{fmt.Sprintf(format, args...)} }

// listQuery turns the query string of GET requests.{fmt} into the internal
// request, with the default window and cap applied. A service_request_id
// list overrides every other filter, as the specification says.
func listQuery(q url.Values, tenant string, now time.Time) (*ticketv1.ListPublicTicketsRequest, error) {
	req := &ticketv1.ListPublicTicketsRequest{Tenant: tenant, PageSize: MaxRequests, IncludeNotes: q.Get("extensions") == "true"}
	if ids := splitList(q.Get("service_request_id")); len(ids) > 0 {
		if len(ids) > MaxRequests {
			return nil, invalid("service_request_id must list at most %d ids", MaxRequests)
		}
		req.Ids = ids
		return req, nil
	}
	for _, code := range splitList(q.Get("service_code")) {
		s, ok := serviceByCode(code)
		if !ok {
			return nil, invalid("service_code %q is not a service of this jurisdiction", code)
		}
		req.Categories = append(req.Categories, s.Category)
	}
	for _, st := range splitList(q.Get("status")) {
		switch st {
		case "open":
			req.Statuses = append(req.Statuses, openStatuses...)
		case "closed":
			req.Statuses = append(req.Statuses, closedStatuses...)
		default:
			return nil, invalid("status must be open or closed (or both, comma-separated)")
		}
	}
	var err error
	dates := []struct {
		name string
		dst  **timestamppb.Timestamp
	}{{"start_date", &req.CreatedAfter}, {"end_date", &req.CreatedBefore},
		{"updated_after", &req.UpdatedAfter}, {"updated_before", &req.UpdatedBefore}}
	for _, d := range dates {
		if *d.dst, err = parseDate(q, d.name); err != nil {
			return nil, err
		}
	}
	if s, e := req.CreatedAfter, req.CreatedBefore; s != nil && e != nil && s.AsTime().After(e.AsTime()) {
		return nil, invalid("start_date must not be after end_date")
	}
	if req.CreatedAfter == nil {
		end := now
		if req.CreatedBefore != nil {
			end = req.CreatedBefore.AsTime()
		}
		req.CreatedAfter = timestamppb.New(end.Add(-DefaultWindow))
	}
	if req.Near, err = near(q); err != nil {
		return nil, err
	}
	if err := paging(q, req); err != nil {
		return nil, err
	}
	return req, nil
}

// splitList splits a comma-separated parameter, dropping empty entries.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseDate reads a date parameter: ISO 8601 (RFC 3339) with a time zone.
func parseDate(q url.Values, name string) (*timestamppb.Timestamp, error) {
	s := q.Get(name)
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, invalid("%s must be an ISO 8601 date and time with a time zone, e.g. 2026-01-31T08:00:00+02:00", name)
	}
	return timestamppb.New(t), nil
}

// near reads the lat/long/radius extension (radius in metres).
func near(q url.Values) (*ticketv1.Circle, error) {
	if q.Get("lat") == "" && q.Get("long") == "" && q.Get("radius") == "" {
		return nil, nil
	}
	lat, err := coordinate(q.Get("lat"), "lat", 90)
	if err != nil {
		return nil, err
	}
	lng, err := coordinate(q.Get("long"), "long", 180)
	if err != nil {
		return nil, err
	}
	r, err := strconv.ParseFloat(q.Get("radius"), 64)
	if err != nil || math.IsNaN(r) || r <= 0 || r > maxRadius {
		return nil, invalid("radius must be a number of metres greater than 0 and at most %d", maxRadius)
	}
	return &ticketv1.Circle{Center: &commonv1.LatLng{Latitude: lat, Longitude: lng}, RadiusMeters: r}, nil
}

// coordinate parses a latitude or longitude within ±limit.
func coordinate(s, name string, limit float64) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < -limit || v > limit {
		return 0, invalid("%s must be a number between %g and %g", name, -limit, limit)
	}
	return v, nil
}

// paging reads the page/page_size extension (pages count from 1).
func paging(q url.Values, req *ticketv1.ListPublicTicketsRequest) error {
	size, page := MaxRequests, 1
	if s := q.Get("page_size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxRequests {
			return invalid("page_size must be a whole number from 1 to %d", MaxRequests)
		}
		size = n
	}
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || (n-1)*size > math.MaxInt32-MaxRequests {
			return invalid("page must be a whole number from 1")
		}
		page = n
	}
	req.PageSize, req.Offset = int32(size), int32((page-1)*size)
	return nil
}
