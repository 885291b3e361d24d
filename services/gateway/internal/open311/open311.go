// Package open311 serves the Open311 GeoReport v2 API from the gateway:
// discovery, services and service definitions, and filing and following
// service requests, in XML and JSON. It reaches the ticket and routing
// services with the gateway's own service token; citizens' apps identify
// themselves with an API key issued by a municipal admin.
package open311

import (
	"context"
	"net/http"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/peers"
)

// Prefix is where the API is served.
const Prefix = "/open311/v2/"

// Handler serves the Open311 API.
type Handler struct {
	tickets ticketv1.TicketInternalServiceClient
	// nearby finds requests near a point (nearby.json); nil serves none.
	nearby  ticketv1.TicketServiceClient
	routing routingv1.RoutingServiceClient
	media   Media
	now     func() time.Time
}

// New returns the API over the ticket service's internal RPCs and the
// routing service; both connections are dialed with libs/peers as the
// gateway's identity. media configures the photos of reports.
func New(tickets ticketv1.TicketInternalServiceClient, routing routingv1.RoutingServiceClient, media Media) *Handler {
	return &Handler{tickets: tickets, routing: routing, media: media, now: time.Now}
}

// WithNearby serves nearby.json over the ticket service's
// ListNearbyTickets (the gateway's token may call it: it answers no content
// and never a GBV ticket).
func (h *Handler) WithNearby(c ticketv1.TicketServiceClient) *Handler {
	h.nearby = c
	return h
}

// endpoint is a parsed request path: the resource, an optional id, and the
// format from the extension.
type endpoint struct {
	resource, id string
	format       format
}

// parsePath splits "requests/123.json" into its parts; ok is false for a
// path that names no resource or no known format.
func parsePath(p string) (endpoint, bool) {
	p = strings.TrimPrefix(p, Prefix)
	dot := strings.LastIndex(p, ".")
	if dot < 0 {
		return endpoint{format: formatJSON}, false
	}
	e := endpoint{format: format(p[dot+1:])}
	if e.format != formatJSON && e.format != formatXML {
		return endpoint{format: formatJSON}, false
	}
	parts := strings.Split(p[:dot], "/")
	switch {
	case len(parts) == 1 && parts[0] != "":
		e.resource = parts[0]
	case len(parts) == 2 && parts[0] != "" && parts[1] != "":
		e.resource, e.id = parts[0], parts[1]
	default:
		return e, false
	}
	return e, true
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if m := mediaPath.FindStringSubmatch(strings.TrimPrefix(r.URL.Path, Prefix)); m != nil {
		h.servePhoto(w, r, m)
		return
	}
	e, ok := parsePath(r.URL.Path)
	if !ok {
		writeError(w, e.format, http.StatusNotFound, "no such Open311 path; use e.g. "+Prefix+"services.json")
		return
	}
	type route struct{ method, resource string }
	var fn func(http.ResponseWriter, *http.Request, endpoint)
	switch (route{r.Method, e.resource}) {
	case route{http.MethodGet, "discovery"}:
		fn = h.discovery
	case route{http.MethodGet, "services"}:
		fn = h.services
	case route{http.MethodGet, "requests"}:
		fn = h.listRequests
	case route{http.MethodPost, "requests"}:
		fn = h.postRequest
	case route{http.MethodGet, "nearby"}:
		fn = h.listNearby
	}
	if fn == nil {
		if e.resource == "discovery" || e.resource == "services" || e.resource == "requests" {
			writeError(w, e.format, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+e.resource)
			return
		}
		writeError(w, e.format, http.StatusNotFound, "no such Open311 resource: "+e.resource)
		return
	}
	if (e.id != "") && (e.resource == "discovery" || e.resource == "nearby" || r.Method == http.MethodPost) {
		writeError(w, e.format, http.StatusNotFound, "no such Open311 path")
		return
	}
	fn(w, r, e)
}

// jurisdiction checks the jurisdiction_id parameter (required here: the
// suite serves many municipalities) and returns the tenant it names, with
// the context for the calls made for it: each carries a gateway token
// naming that jurisdiction (libs/peers).
func (h *Handler) jurisdiction(w http.ResponseWriter, r *http.Request, f format) (context.Context, string, bool) {
	code := strings.TrimSpace(r.Form.Get("jurisdiction_id"))
	if code == "" {
		writeError(w, f, http.StatusBadRequest, "jurisdiction_id is required: the municipality code, e.g. CPT")
		return nil, "", false
	}
	if !auth.IsTenantCode(code) {
		// No municipality has such a code; no token is minted for it.
		writeError(w, f, http.StatusNotFound, "jurisdiction_id "+code+" not found")
		return nil, "", false
	}
	ctx := peers.ForTenant(r.Context(), code)
	_, err := h.routing.GetMunicipality(ctx, &routingv1.GetMunicipalityRequest{Code: code})
	switch status.Code(err) {
	case codes.OK:
		return ctx, code, true
	case codes.NotFound, codes.InvalidArgument:
		writeError(w, f, http.StatusNotFound, "jurisdiction_id "+code+" not found")
	default:
		writeBackendError(w, f, err)
	}
	return nil, "", false
}

// writeBackendError answers a failed call to a service: bad input is 400
// and an idempotency key reused for another report 409, with the service's
// explanation; anything else a bare 5xx (causes are in the services' logs,
// not in responses).
func writeBackendError(w http.ResponseWriter, f format, err error) {
	st := status.Convert(err)
	switch st.Code() {
	case codes.InvalidArgument:
		writeError(w, f, http.StatusBadRequest, st.Message())
	case codes.PermissionDenied, codes.Unauthenticated:
		writeError(w, f, http.StatusForbidden, "forbidden")
	case codes.NotFound:
		writeError(w, f, http.StatusNotFound, st.Message())
	case codes.AlreadyExists:
		writeError(w, f, http.StatusConflict, st.Message())
	case codes.ResourceExhausted:
		writeError(w, f, http.StatusTooManyRequests, "too many requests; retry later")
	case codes.Unavailable, codes.DeadlineExceeded:
		writeError(w, f, http.StatusServiceUnavailable, "service temporarily unavailable; retry later")
	default:
		writeError(w, f, http.StatusInternalServerError, "internal error")
	}
}

// parseForm reads query and (for POST) form body parameters, answering 400
// when they cannot be read.
func parseForm(w http.ResponseWriter, r *http.Request, f format) bool {
	if err := r.ParseForm(); err != nil {
		writeError(w, f, http.StatusBadRequest, "parameters cannot be read: send application/x-www-form-urlencoded")
		return false
	}
	return true
}
