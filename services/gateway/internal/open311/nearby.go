package open311

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// nearbyOut is one request of nearby.json: where it is, how far, its
// state and how many reports were added to it, never its description.
type nearbyOut struct {
	XMLName           xml.Name `json:"-" xml:"request"`
	ServiceRequestID  string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	RequestedDatetime string   `json:"requested_datetime" xml:"requested_datetime"`
	Lat               float64  `json:"lat" xml:"lat"`
	Long              float64  `json:"long" xml:"long"`
	DistanceMeters    float64  `json:"distance_meters" xml:"distance_meters"`
	LinkedCount       int32    `json:"linked_count" xml:"linked_count"`
}

// nearbyList is nearby.{fmt}: a JSON array, or <service_requests>.
type nearbyList struct {
	XMLName  xml.Name    `xml:"service_requests"`
	Requests []nearbyOut `xml:"request"`
}

// MarshalJSON writes the bare array.
func (l nearbyList) MarshalJSON() ([]byte, error) {
	if l.Requests == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(l.Requests)
}

// listNearby answers GET nearby.{fmt} (an extension for the "is this
// already reported?" screen): the open and recently resolved requests of
// service_code nearest lat/long, within radius metres (default the
// municipality's radius for residents, 250 m), at most 5 (or page_size, up
// to 50). It needs an API key like a POST, since it is meant for the
// client that files the report.
func (h *Handler) listNearby(w http.ResponseWriter, r *http.Request, e endpoint) {
	if !parseForm(w, r, e.format) {
		return
	}
	ctx, tenant, ok := h.jurisdiction(w, r, e.format)
	if !ok {
		return
	}
	if h.nearby == nil {
		writeError(w, e.format, http.StatusNotFound, "no such Open311 resource: nearby")
		return
	}
	key := r.Form.Get("api_key")
	if key == "" {
		writeError(w, e.format, http.StatusForbidden, "api_key is required")
		return
	}
	client, err := h.tickets.VerifyApiKey(ctx, &ticketv1.VerifyApiKeyRequest{Key: key})
	if err != nil {
		writeBackendError(w, e.format, err)
		return
	}
	if client.GetTenant() != tenant {
		writeError(w, e.format, http.StatusForbidden, "api_key is not valid for jurisdiction_id "+tenant)
		return
	}
	req, err := nearbyQuery(r)
	if err != nil {
		writeError(w, e.format, http.StatusBadRequest, err.Error())
		return
	}
	req.Tenant = tenant
	resp, err := h.nearby.ListNearbyTickets(ctx, req)
	if err != nil {
		writeBackendError(w, e.format, err)
		return
	}
	list := nearbyList{Requests: make([]nearbyOut, 0, len(resp.GetTickets()))}
	for _, t := range resp.GetTickets() {
		svc := serviceByCategory(t.GetCategory())
		list.Requests = append(list.Requests, nearbyOut{ServiceRequestID: t.GetId(), Status: openOrClosed(t.GetStatus()),
			ServiceCode: svc.Code, ServiceName: svc.Name, RequestedDatetime: datetime(t.GetCreateTime()),
			Lat: t.GetLocation().GetLatitude(), Long: t.GetLocation().GetLongitude(),
			DistanceMeters: t.GetDistanceMeters(), LinkedCount: t.GetLinkedCount()})
	}
	write(w, e.format, http.StatusOK, list)
}

// nearbyQuery reads service_code, lat, long and the optional radius and
// page_size of nearby.{fmt}.
func nearbyQuery(r *http.Request) (*ticketv1.ListNearbyTicketsRequest, error) {
	code := strings.TrimSpace(r.Form.Get("service_code"))
	if code == "" {
		return nil, invalid("service_code is required")
	}
	svc, ok := serviceByCode(code)
	if !ok {
		return nil, invalid("service_code %q is not a service of this jurisdiction", code)
	}
	lat, err := coordinate(r.Form.Get("lat"), "lat", 90)
	if err != nil {
		return nil, err
	}
	lng, err := coordinate(r.Form.Get("long"), "long", 180)
	if err != nil {
		return nil, err
	}
	req := &ticketv1.ListNearbyTicketsRequest{Category: svc.Category, Location: &commonv1.LatLng{Latitude: lat, Longitude: lng}}
	if s := r.Form.Get("radius"); s != "" {
		if req.RadiusMeters, err = strconv.ParseFloat(s, 64); err != nil {
			return nil, invalid("radius must be a number of metres")
		}
	}
	if s := r.Form.Get("page_size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, invalid("page_size must be a whole number")
		}
		req.PageSize = int32(n)
	}
	return req, nil
}
